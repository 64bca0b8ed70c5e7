// Fixture: the module of nested/main.bicep; it has a module of its own.

param location string
param accountName string
param sku string
param containerName string
param environmentName string
param vaultName string

@secure()
param adminToken string

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: accountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: sku
  }
  tags: {
    'azd-env-name': environmentName
  }
  properties: {
    allowSharedKeyAccess: false
    minimumTlsVersion: 'TLS1_2'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: vaultName
}

resource token 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: 'admin-token'
  properties: {
    value: adminToken
  }
}

module container 'container/container.bicep' = {
  name: 'container'
  params: {
    accountName: account.name
    containerName: containerName
    publicAccess: 'None'
  }
}

output accountName string = account.name
output containerId string = container.outputs.containerId
