// One storage account of the product: Microsoft Entra ID only (shared keys and SAS refused), HTTPS only, TLS 1.2,
// no public blobs. Used twice by main.bicep: the operational account (telemetry, subjects, keys, queues, host
// storage) and the audit account (the audit trail and write-once evidence), so that the app's broad table rights
// on the first never reach the second. The names come from src/Compliance.Storage/StorageLayout.cs.

param name string
param location string
param tags object

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
  'Standard_RAGRS'
  'Standard_RAGZRS'
])
param skuName string

@description('Tables to create.')
param tables string[]

@description('Queues to create.')
param queues string[]

@description('Blob containers to create without an immutability policy.')
param containers string[]

@description('Blob containers to create with a time-based immutability (WORM) policy: blobs can be created and read, never overwritten or deleted before their retention ends.')
param immutableContainers string[]

@description('Days a blob in an immutable container is protected from overwrite and deletion, counted from its creation.')
@minValue(1)
@maxValue(146000)
param immutabilityDays int

@description('True once the immutability policies are locked: ARM may then only extend them, so the template leaves them alone.')
param immutabilityLocked bool

@description('Log Analytics workspace that receives the storage logs.')
param workspaceId string

@description('Which storage logs to send: the audit category group, or allLogs (every read as well).')
@allowed([
  'audit'
  'allLogs'
])
param logCategoryGroup string

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: {
          enabled: true
          keyType: 'Account'
        }
        file: {
          enabled: true
          keyType: 'Account'
        }
        table: {
          enabled: true
          keyType: 'Account'
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource tableResources 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = [
  for table in tables: {
    parent: tableService
    name: table
  }
]

resource queueResources 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' = [
  for queue in queues: {
    parent: queueService
    name: queue
  }
]

resource containerResources 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = [
  for container in containers: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

resource immutableContainerResources 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = [
  for container in immutableContainers: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

// Created unlocked, so a mistaken retention can still be shortened; lock it once you are sure (infra/README.md): a
// locked policy can only be extended, the account cannot be deleted while it protects blobs, and this template must
// then stop writing it (immutabilityLocked), because ARM's PUT only creates or updates unlocked policies.
resource immutabilityPolicies 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2025-06-01' = [
  for (container, i) in immutableContainers: if (!immutabilityLocked) {
    parent: immutableContainerResources[i]
    name: 'default'
    properties: {
      immutabilityPeriodSinceCreationInDays: immutabilityDays
      allowProtectedAppendWrites: false
    }
  }
]

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: logCategoryGroup
        enabled: true
      }
    ]
  }
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: logCategoryGroup
        enabled: true
      }
    ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (!empty(queues)) {
  name: 'to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: logCategoryGroup
        enabled: true
      }
    ]
  }
}

resource accountDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: workspaceId
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
