// What `azd up` provisions: the compliance functions on Flex Consumption, two storage accounts without shared
// keys (operational, and audit for the trail and write-once evidence), Key Vault with the root keys and the lookup
// secret, Event Grid delivering key-expiry events to a queue, Application Insights with Log Analytics, and one
// user-assigned identity holding only the roles listed in modules/access.bicep. Plain resources only, so the
// templates build and lint offline (scripts/test.sh does both). See infra/README.md.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Azure region for every resource; it must offer Flex Consumption.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('''Key Vault purge protection. On (the default), a deleted key or secret can be recovered for
keyVaultSoftDeleteRetentionDays and cannot be purged sooner by anyone: nobody can destroy the root key that every
employee key is wrapped by, on purpose or by mistake, and so shred all the data at once. The price: if you do mean
to destroy a root key (decommissioning), it stays recoverable until those days have passed. Per-employee erasure
does not depend on it: employee keys live in Table Storage, wrapped, and are deleted there. Once on, it cannot be
turned off.''')
param enablePurgeProtection bool = true

@description('Days a deleted key or secret stays recoverable (7 to 90). Fixed when the vault is created.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionDays int = 90

@description('ISO 8601 duration after which a root key version expires. The app rotates both root keys every rotation.rootKeyDays of the policy (30 by default), well before this.')
param rootKeyExpiry string = 'P90D'

@description('ISO 8601 duration before expiry at which Key Vault raises KeyNearExpiry, which makes the app rotate early.')
param rootKeyNotifyBefore string = 'P30D'

@description('Days audit seals, reports and erasure certificates are protected from overwrite and deletion (container immutability policy).')
@minValue(1)
@maxValue(146000)
param evidenceRetentionDays int = 2557

@description('Set to true after locking the evidence containers\' immutability policies (infra/README.md): the template then leaves them alone, since ARM cannot write a locked policy.')
param evidencePolicyLocked bool = false

@description('Redundancy of the operational storage account.')
param storageSkuName string = 'Standard_LRS'

@description('Redundancy of the audit storage account.')
param auditStorageSkuName string = 'Standard_LRS'

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Client id of a Microsoft Entra app registration for App Service authentication (infra/README.md). Empty: authentication stays off and the HTTP functions that need a signed-in caller refuse every request.')
param authClientId string = ''

@description('Tenant of that app registration.')
param authTenantId string = tenant().tenantId

@description('COMPLIANCE_POLICY: path of a policy file deployed with the app; empty selects the built-in policy.')
param policyFile string = ''

@description('NCRONTAB (6 fields, UTC) of the audit seal.')
param auditSealSchedule string = '0 5 * * * *'

@description('NCRONTAB (UTC) of key rotation.')
param keyRotationSchedule string = '0 30 1 * * *'

@description('NCRONTAB (UTC) of the retention purge.')
param purgeSchedule string = '0 0 2 * * *'

@description('NCRONTAB (UTC) of the scheduled reports.')
param reportSchedule string = '0 30 3 * * *'

@description('NCRONTAB (UTC) of the erasure sweep.')
param erasureSweepSchedule string = '0 */15 * * * *'

@description('Memory of each Flex Consumption instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the app scales out to (Flex Consumption allows 40 to 1,000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('When this deployment runs: the first root key versions expire rootKeyExpiry after it.')
param deploymentTime string = utcNow('u')

@secure()
@description('Random part of the subject-lookup HMAC secret; leave the default.')
param lookupSecretSeedA string = newGuid()

@secure()
@description('Second random part of the subject-lookup HMAC secret; leave the default.')
param lookupSecretSeedB string = newGuid()

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

// The product's storage resources (src/Compliance.Storage/StorageLayout.cs; a test keeps the two in step).
var operationalTables = [
  'subjects'
  'subjectkeys'
  'holds'
  'erasures'
  'lineage'
]
// The functions host moves a message that failed every delivery to QUEUE-poison; the app reads those too.
var operationalQueues = [
  'telemetry-ingest'
  'telemetry-ingest-poison'
  'erasure-requests'
  'erasure-requests-poison'
  'keyvault-events'
  'keyvault-events-poison'
]
var operationalContainers = [
  'purge-manifests'
  'app-package'
]
var auditTables = [
  'auditevents'
  'auditseals'
]
var evidenceContainers = [
  'audit-seals'
  'reports'
  'erasure-certificates'
]
var rootKeys = [
  'subject-keys'
  'audit-seal'
]
var lookupSecretName = 'subject-lookup-hmac'

// Every name is fixed before deployment, so modules get names rather than other modules' outputs (What-If can
// then predict them) and say what they depend on.
var names = {
  resourceGroup: '${abbrs.resourcesResourceGroups}${environmentName}'
  workspace: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  appInsights: '${abbrs.insightsComponents}${resourceToken}'
  identity: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
  storage: '${abbrs.storageStorageAccounts}${resourceToken}'
  auditStorage: '${abbrs.storageStorageAccounts}audit${resourceToken}'
  keyVault: '${abbrs.keyVaultVaults}${resourceToken}'
  systemTopic: '${abbrs.eventGridSystemTopics}${resourceToken}'
  plan: '${abbrs.webServerFarms}${resourceToken}'
  functionApp: '${abbrs.webSitesFunctions}${resourceToken}'
}

resource resourceGroup 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    name: names.storage
    location: location
    tags: tags
    skuName: storageSkuName
    tables: operationalTables
    queues: operationalQueues
    containers: operationalContainers
    immutableContainers: []
    immutabilityDays: 1
    immutabilityLocked: false
    workspaceId: monitoring.outputs.workspaceId
    logCategoryGroup: 'audit'
  }
}

module auditStorage 'modules/storage.bicep' = {
  name: 'audit-storage'
  scope: resourceGroup
  params: {
    name: names.auditStorage
    location: location
    tags: tags
    skuName: auditStorageSkuName
    tables: auditTables
    queues: []
    containers: []
    immutableContainers: evidenceContainers
    immutabilityDays: evidenceRetentionDays
    immutabilityLocked: evidencePolicyLocked
    workspaceId: monitoring.outputs.workspaceId
    // Reads of the audit trail are logged too: who looked at it matters.
    logCategoryGroup: 'allLogs'
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: resourceGroup
  params: {
    name: names.keyVault
    location: location
    tags: tags
    enablePurgeProtection: enablePurgeProtection
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionDays
    rootKeyExpiry: rootKeyExpiry
    rootKeyNotifyBefore: rootKeyNotifyBefore
    deploymentTime: deploymentTime
    lookupSecretSeed: '${lookupSecretSeedA}${lookupSecretSeedB}'
    workspaceId: monitoring.outputs.workspaceId
  }
}

module events 'modules/events.bicep' = {
  name: 'events'
  scope: resourceGroup
  dependsOn: [
    storage
  ]
  params: {
    topicName: names.systemTopic
    location: location
    tags: tags
    keyVaultId: keyVault.outputs.id
    storageAccountName: names.storage
    queueName: 'keyvault-events'
    workspaceId: monitoring.outputs.workspaceId
  }
}

module access 'modules/access.bicep' = {
  name: 'access'
  scope: resourceGroup
  dependsOn: [
    identity
    storage
    auditStorage
    keyVault
    monitoring
  ]
  params: {
    identityName: names.identity
    storageAccountName: names.storage
    auditStorageAccountName: names.auditStorage
    auditTables: auditTables
    evidenceContainers: evidenceContainers
    keyVaultName: names.keyVault
    rootKeys: rootKeys
    lookupSecretName: lookupSecretName
    appInsightsName: names.appInsights
  }
}

module functions 'modules/functions.bicep' = {
  name: 'functions'
  scope: resourceGroup
  dependsOn: [
    // The app starts as soon as it exists: its identity must already hold its roles.
    access
    storage
    auditStorage
  ]
  params: {
    planName: names.plan
    appName: names.functionApp
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: names.storage
    auditStorageAccountName: names.auditStorage
    deploymentContainerName: 'app-package'
    keyVaultUri: keyVault.outputs.uri
    appInsightsName: names.appInsights
    workspaceId: monitoring.outputs.workspaceId
    policyFile: policyFile
    auditSealSchedule: auditSealSchedule
    keyRotationSchedule: keyRotationSchedule
    purgeSchedule: purgeSchedule
    reportSchedule: reportSchedule
    erasureSweepSchedule: erasureSweepSchedule
    authClientId: authClientId
    authTenantId: authTenantId
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
}

// azd stores these in the environment (.azure/ENV/.env); none is a secret.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functions.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functions.outputs.hostName}'
output COMPLIANCE_STORAGE string = storage.outputs.name
output COMPLIANCE_AUDIT_STORAGE string = auditStorage.outputs.name
output COMPLIANCE_KEYS string = keyVault.outputs.uri
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.appInsightsName
