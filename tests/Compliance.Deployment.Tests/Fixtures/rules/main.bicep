// Fixture for BicepConfigTests: breaks every rule infra/bicepconfig.json sets, once each, so that linting it with that
// configuration shows each rule id is real and at which level it fires. Never deployed.

param adminPassword string

@secure()
param apiKey string = 'not-a-secret-default'

@secure()
param script string

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: 'st${uniqueString(resourceGroup().id)}'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  tags: {
    password: adminPassword
    key: apiKey
  }
}

resource machine 'Microsoft.Compute/virtualMachines@2024-07-01' = {
  name: 'vm'
  location: resourceGroup().location
  properties: {
    osProfile: {
      computerName: 'vm'
      adminUsername: 'azureuser'
      adminPassword: 'literal-password'
    }
  }
}

resource extension 'Microsoft.Compute/virtualMachines/extensions@2024-07-01' = {
  parent: machine
  name: 'script'
  location: resourceGroup().location
  properties: {
    publisher: 'Microsoft.Compute'
    type: 'CustomScriptExtension'
    typeHandlerVersion: '1.10'
    settings: {
      commandToExecute: script
    }
  }
}

#disable-next-line no-deployments-resources
resource outerScoped 'Microsoft.Resources/deployments@2024-03-01' = {
  name: 'outer-scoped'
  properties: {
    mode: 'Incremental'
    template: {
      '$schema': 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#'
      contentVersion: '1.0.0.0'
      resources: [
        {
          type: 'Microsoft.Network/networkSecurityGroups'
          apiVersion: '2023-11-01'
          name: 'nsg'
          location: 'westeurope'
          properties: {
            securityRules: [
              {
                name: 'rule'
                properties: {
                  description: script
                }
              }
            ]
          }
        }
      ]
    }
  }
}

module located 'modules/located.bicep' = {
  name: 'located'
}

output accountKey string = account.listKeys().keys[0].value
