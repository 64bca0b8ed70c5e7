// Fixture: the innermost module. Its user-defined type makes Bicep emit languageVersion 2.0 for it, whose resources
// are keyed by symbolic name and whose existing references are listed.

type publicAccessLevel = 'None' | 'Blob' | 'Container'

param accountName string
param containerName string
param publicAccess publicAccessLevel

@description('Not passed by the calling module, so it keeps this default.')
param versioning bool = true

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: accountName
}

resource blobServices 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: versioning
  }
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobServices
  name: containerName
  properties: {
    publicAccess: publicAccess
  }
}

output containerId string = container.id
