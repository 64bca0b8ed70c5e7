// Fixture: a module with one linter warning (line 4, no-unused-vars).
param location string

var unusedVariable = 'never read'

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: 'st${uniqueString(resourceGroup().id)}'
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
}
