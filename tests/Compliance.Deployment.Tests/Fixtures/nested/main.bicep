// Fixture for ArmTemplateTests: a template, its module (storage), and that module's own module (container).
// Parameters reach the innermost template through two bindings; some resolve to literals, some do not.

@description('Name of the environment; every resource name derives from it.')
@minLength(1)
param environmentName string

@allowed([
  'westeurope'
  'northeurope'
])
param location string = 'westeurope'

param storageSku string = 'Standard_ZRS'

param containerName string = 'audit'

param vaultName string = 'kv-${environmentName}'

@secure()
param adminToken string = ''

var resourceToken = toLower(uniqueString(resourceGroup().id, environmentName))

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    accountName: 'st${resourceToken}'
    sku: storageSku
    containerName: containerName
    environmentName: environmentName
    vaultName: vaultName
    adminToken: adminToken
  }
}

output storageAccountName string = storage.outputs.accountName
output containerId string = storage.outputs.containerId
