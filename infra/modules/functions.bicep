// The Functions app on Flex Consumption (Linux, .NET isolated), running as the user-assigned identity. Every
// setting is identity-based: no connection string with a key, no secret. App Service authentication (Microsoft
// Entra ID) guards the HTTP functions when an app registration is given; without one the HTTP functions that need
// a signed-in caller refuse everyone (WEBSITE_AUTH_ENABLED is unset).

param planName string
param appName string
param location string
param tags object

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Operational storage account: host storage, queues, telemetry and the deployment package.')
param storageAccountName string

@description('Audit storage account: the audit trail and write-once evidence.')
param auditStorageAccountName string

@description('Blob container the deployment package is uploaded to.')
param deploymentContainerName string

@description('Key Vault URI (https://NAME.vault.azure.net/).')
param keyVaultUri string

param appInsightsName string
param workspaceId string

@description('COMPLIANCE_POLICY: a policy file path inside the deployed app; empty selects the built-in policy.')
param policyFile string

@description('NCRONTAB (6 fields, UTC) of the AuditSeal timer.')
param auditSealSchedule string

@description('NCRONTAB of the KeyRotation timer.')
param keyRotationSchedule string

@description('NCRONTAB of the RetentionPurge timer.')
param purgeSchedule string

@description('NCRONTAB of the ScheduledReports timer.')
param reportSchedule string

@description('NCRONTAB of the ErasureSweep timer.')
param erasureSweepSchedule string

@description('Client id of the Microsoft Entra app registration for App Service authentication; empty leaves it off.')
param authClientId string

@description('Tenant of that app registration.')
param authTenantId string

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        // Host storage (triggers, timers, keys) with the managed identity.
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        {
          name: 'AzureWebJobsStorage__blobServiceUri'
          value: storage.properties.primaryEndpoints.blob
        }
        {
          name: 'AzureWebJobsStorage__queueServiceUri'
          value: storage.properties.primaryEndpoints.queue
        }
        {
          name: 'AzureWebJobsStorage__tableServiceUri'
          value: storage.properties.primaryEndpoints.table
        }
        // DefaultAzureCredential picks the user-assigned identity by this client id (storage and Key Vault).
        {
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        {
          name: 'COMPLIANCE_STORAGE'
          value: storageAccountName
        }
        {
          name: 'COMPLIANCE_AUDIT_STORAGE'
          value: auditStorageAccountName
        }
        {
          name: 'COMPLIANCE_KEYS'
          value: keyVaultUri
        }
        {
          name: 'COMPLIANCE_POLICY'
          value: policyFile
        }
        {
          name: 'AUDIT_SEAL_SCHEDULE'
          value: auditSealSchedule
        }
        {
          name: 'KEY_ROTATION_SCHEDULE'
          value: keyRotationSchedule
        }
        {
          name: 'PURGE_SCHEDULE'
          value: purgeSchedule
        }
        {
          name: 'REPORT_SCHEDULE'
          value: reportSchedule
        }
        {
          name: 'ERASURE_SWEEP_SCHEDULE'
          value: erasureSweepSchedule
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// No FTP or basic-auth publishing: azd deploys with Microsoft Entra ID.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

// Every HTTP call then needs a Microsoft Entra token for this app (and still its function key). The app roles
// (compliance.reports, erasure.request, erasure.read) are defined on the app registration and assigned there.
resource authentication 'Microsoft.Web/sites/config@2025-03-01' = if (!empty(authClientId)) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${authClientId}'
            authClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

resource appDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
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

output name string = app.name
output hostName string = app.properties.defaultHostName
