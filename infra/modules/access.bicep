// Every permission the app's managed identity holds, in one place, each at the narrowest scope that works:
//
// | role                                    | scope                                             | why |
// |-----------------------------------------|---------------------------------------------------|-----|
// | Storage Blob Data Owner                 | operational account                               | host storage (timer locks, keys), deployment package, purge manifests and lease |
// | Storage Queue Data Contributor          | operational account                               | queue triggers, poison queues, producers |
// | Storage Table Data Contributor          | operational account                               | telemetry tables created and dropped per period, subjects, keys, holds, erasures, lineage |
// | Compliance audit appender (custom)      | tables auditevents, auditseals (audit account)    | read and add entities only: the app cannot update or delete its audit trail |
// | Compliance evidence writer (custom)     | containers audit-seals, reports, erasure-certificates (audit account) | read and create blobs, no delete; the immutability policy refuses overwrites |
// | Compliance root key user (custom)       | keys subject-keys, audit-seal                     | wrap, unwrap, sign, verify, rotate, disable old versions; no create, delete, purge, backup, restore, import or release |
// | Key Vault Secrets User                  | secret subject-lookup-hmac                        | read the lookup secret |
// | Monitoring Metrics Publisher            | the Application Insights component                | send telemetry with Microsoft Entra ID (local auth is off) |
//
// The Event Grid topic's own identity gets Storage Queue Data Message Sender on the keyvault-events queue (events.bicep).

@description('The app\'s user-assigned identity.')
param identityName string

param storageAccountName string
param auditStorageAccountName string

@description('The audit tables in the audit account (StorageLayout: account Audit, kind Table).')
param auditTables string[]

@description('The write-once evidence containers in the audit account (StorageLayout: account Audit, kind BlobContainer).')
param evidenceContainers string[]

param keyVaultName string

@description('The root keys the app uses.')
param rootKeys string[]

param lookupSecretName string
param appInsightsName string

var builtInRoles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

var principalId = identity.properties.principalId

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource auditStorage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: auditStorageAccountName

  resource tableService 'tableServices' existing = {
    name: 'default'
  }

  resource blobService 'blobServices' existing = {
    name: 'default'
  }
}

resource auditTableResources 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' existing = [
  for table in auditTables: {
    parent: auditStorage::tableService
    name: table
  }
]

resource evidenceContainerResources 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' existing = [
  for container in evidenceContainers: {
    parent: auditStorage::blobService
    name: container
  }
]

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName

  resource lookupSecret 'secrets' existing = {
    name: lookupSecretName
  }
}

resource rootKeyResources 'Microsoft.KeyVault/vaults/keys@2025-05-01' existing = [
  for key in rootKeys: {
    parent: vault
    name: key
  }
]

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Custom roles: role names are unique in a tenant, so each carries the resource group's name and a hash of its id
// (two subscriptions may both have rg-prod).
var roleNameSuffix = '(${resourceGroup().name}, ${uniqueString(resourceGroup().id)})'
resource auditAppender 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'compliance-audit-appender')
  properties: {
    roleName: 'Compliance audit appender ${roleNameSuffix}'
    description: 'Reads and adds table entities; cannot update or delete them. Assigned on the audit tables only.'
    type: 'CustomRole'
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.Storage/storageAccounts/tableServices/tables/entities/read'
          'Microsoft.Storage/storageAccounts/tableServices/tables/entities/add/action'
        ]
        notDataActions: []
      }
    ]
    assignableScopes: [
      resourceGroup().id
    ]
  }
}

resource evidenceWriter 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'compliance-evidence-writer')
  properties: {
    roleName: 'Compliance evidence writer ${roleNameSuffix}'
    description: 'Reads and writes blobs; cannot delete them. Assigned on the immutable evidence containers only.'
    type: 'CustomRole'
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'
        ]
        notDataActions: []
      }
    ]
    assignableScopes: [
      resourceGroup().id
    ]
  }
}

resource rootKeyUser 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'compliance-root-key-user')
  properties: {
    roleName: 'Compliance root key user ${roleNameSuffix}'
    description: 'Uses and rotates root keys; cannot create, delete, purge, back up, restore, import or release them.'
    type: 'CustomRole'
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.KeyVault/vaults/keys/read'
          'Microsoft.KeyVault/vaults/keys/wrap/action'
          'Microsoft.KeyVault/vaults/keys/unwrap/action'
          'Microsoft.KeyVault/vaults/keys/sign/action'
          'Microsoft.KeyVault/vaults/keys/verify/action'
          'Microsoft.KeyVault/vaults/keys/rotate/action'
          // Disables the versions a root rotation replaced (they can no longer unwrap stale key-table copies).
          'Microsoft.KeyVault/vaults/keys/update/action'
        ]
        notDataActions: []
      }
    ]
    assignableScopes: [
      resourceGroup().id
    ]
  }
}

resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, builtInRoles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageBlobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, builtInRoles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageQueueDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, builtInRoles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageTableDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource auditAppenderAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (table, i) in auditTables: {
    name: guid(auditTableResources[i].id, identity.id, auditAppender.id)
    scope: auditTableResources[i]
    properties: {
      roleDefinitionId: auditAppender.id
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource evidenceWriterAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (container, i) in evidenceContainers: {
    name: guid(evidenceContainerResources[i].id, identity.id, evidenceWriter.id)
    scope: evidenceContainerResources[i]
    properties: {
      roleDefinitionId: evidenceWriter.id
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource rootKeyUserAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (key, i) in rootKeys: {
    name: guid(rootKeyResources[i].id, identity.id, rootKeyUser.id)
    scope: rootKeyResources[i]
    properties: {
      roleDefinitionId: rootKeyUser.id
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault::lookupSecret.id, identity.id, builtInRoles.keyVaultSecretsUser)
  scope: vault::lookupSecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, builtInRoles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
