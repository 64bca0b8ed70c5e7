// Key Vault for the root keys and the subject-lookup secret: RBAC authorization only (no access policies), soft
// delete, purge protection as a parameter. Employees' own keys are not Key Vault keys: they are random keys wrapped
// by the root key `subject-keys` and stored in Table Storage (DESIGN section 4), so erasure never deletes a vault key.

param name string
param location string
param tags object

@description('Purge protection: see enablePurgeProtection in main.bicep. It cannot be turned off once on.')
param enablePurgeProtection bool

@description('Days a deleted key or secret stays recoverable. Fixed when the vault is created.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('ISO 8601 duration after which a root key version expires; rotations give each new version the same.')
param rootKeyExpiry string

@description('ISO 8601 duration before expiry at which Key Vault publishes KeyNearExpiry (the app then rotates early).')
param rootKeyNotifyBefore string

@description('When this deployment runs; the first root key versions expire rootKeyExpiry after it.')
param deploymentTime string

@secure()
@description('Random seed of the subject-lookup HMAC secret.')
param lookupSecretSeed string

@description('Log Analytics workspace that receives the vault audit log.')
param workspaceId string

// Notify only: Key Vault must not rotate the root keys by itself. A rotation of subject-keys must also rewrap every
// subject key and then disable the old version, and every rotation must be audited (KEY_ROTATE): the app's
// KeyRotation timer rotates both keys every rotation.rootKeyDays, and KeyVaultEvents rotates one early if its expiry
// notice ever arrives (the timer did not run).
var rootKeyRotationPolicy = {
  attributes: {
    expiryTime: rootKeyExpiry
  }
  lifetimeActions: [
    {
      trigger: {
        timeBeforeExpiry: rootKeyNotifyBefore
      }
      action: {
        type: 'notify'
      }
    }
  ]
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // Key Vault refuses an explicit false; leaving it out is "off".
    enablePurgeProtection: enablePurgeProtection ? true : null
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

// Created once: ARM's key PUT makes the first version of a missing key and leaves an existing key alone, so
// redeploying never adds a version behind the app's back.
resource subjectKeysRoot 'Microsoft.KeyVault/vaults/keys@2025-05-01' = {
  parent: vault
  name: 'subject-keys'
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [
      'wrapKey'
      'unwrapKey'
    ]
    attributes: {
      enabled: true
      exp: dateTimeToEpoch(dateTimeAdd(deploymentTime, rootKeyExpiry))
    }
    rotationPolicy: rootKeyRotationPolicy
  }
}

resource auditSealKey 'Microsoft.KeyVault/vaults/keys@2025-05-01' = {
  parent: vault
  name: 'audit-seal'
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [
      'sign'
      'verify'
    ]
    attributes: {
      enabled: true
      exp: dateTimeToEpoch(dateTimeAdd(deploymentTime, rootKeyExpiry))
    }
    rotationPolicy: rootKeyRotationPolicy
  }
}

// ARM cannot create a secret only when it is missing, so every provision adds a version with a new random value.
// The app reads the OLDEST enabled version and ignores later ones (KeyVaultSubjectLookupSecret), so the lookup
// HMAC never changes. Never disable or delete the first version: employees hashed under it could not be found.
resource lookupSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'subject-lookup-hmac'
  properties: {
    value: base64(lookupSecretSeed)
    contentType: 'base64; HMAC-SHA256 key for subject lookups; the app uses the oldest enabled version'
    attributes: {
      enabled: true
    }
  }
}

resource vaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
