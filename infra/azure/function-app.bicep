// One Skyfold function family as a Function App on the Flex Consumption plan (Linux): the
// plan, the app with its system-assigned identity, and the app's own host storage, which
// only this app's identity may use. main.bicep deploys one per family and grants each
// identity what its functions need.

@description('The Function App name (globally unique; the host name is <name>.azurewebsites.net).')
param name string

@description('Where the resources go.')
param location string

@description('The family\'s Spring Boot application, which the Azure Functions adapter starts (MAIN_CLASS).')
param mainClass string

@description('The family\'s own app settings, added to those every Skyfold app gets.')
param appSettings object

@description('The Java version the app runs on.')
@allowed([
  '17'
  '21'
])
param javaVersion string

@description('The most instances the app scales out to: its concurrency limit.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Instances kept warm per scaling group, such as [{ name: \'http\', instanceCount: 1 }] (Flex Consumption\'s always-ready instances); empty scales to zero.')
param alwaysReady array

@description('Memory per instance, in MB.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int

@description('The Application Insights resource the app sends its logs, traces and metrics to.')
param applicationInsightsName string

// Flex Consumption deploys the app package from a blob container and keeps the host's state
// (keys, leases) in blobs of the same account. Shared keys are off: the app uses its identity.
var hostStorageName = 'st${uniqueString(resourceGroup().id, name)}'
var packageContainerName = 'app-package'

// Storage Blob Data Owner: the host reads its package and writes its keys and leases.
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Monitoring Metrics Publisher: the app sends telemetry with its identity (local auth is off).
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: hostStorageName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource hostBlobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: hostStorage
  name: 'default'
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: hostBlobs
  name: packageContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan'
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [for setting in items(union(commonSettings, appSettings)): {
        name: setting.key
        value: setting.value
      }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${packageContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: alwaysReady
      }
      runtime: {
        name: 'java'
        version: javaVersion
      }
    }
  }
  dependsOn: [
    packageContainer
  ]
}

// The Java worker's JVM options. On Java 21, class data sharing: the worker's JVM writes an
// archive of the classes its start loaded when it exits, and the next worker started on the
// instance maps them from it instead of loading them again (-XX:+AutoCreateSharedArchive,
// Java 19 on; an archive from another JVM build is rewritten, not used).
var javaWorkerArguments = javaVersion == '17'
  ? '-Djdk.httpclient.allowRestrictedHeaders=content-length'
  : '-Djdk.httpclient.allowRestrictedHeaders=content-length -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=/tmp/skyfold-${name}.jsa'

var commonSettings = {
  MAIN_CLASS: mainClass
  // The host's storage, reached as the app's identity: no connection string to leak.
  AzureWebJobsStorage__accountName: hostStorage.name
  APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
  // The Application Insights Java agent: requests, dependencies and traces correlated by the
  // invocation's traceparent, and Micrometer's global registry (skyfold.* meters) as custom metrics.
  APPLICATIONINSIGHTS_ENABLE_AGENT: 'true'
  // Lets the Azure SDK set Content-Length on the JDK's HTTP client instead of warning at every
  // request; on Java 21, the class-data-sharing archive above.
  languageWorkers__java__arguments: javaWorkerArguments
  // glibc gives every thread that allocates native memory an arena of its own and keeps what
  // the image decoders freed there; two arenas bound that (README, Speed and memory).
  MALLOC_ARENA_MAX: '2'
}

resource hostStorageOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, name, storageBlobDataOwner)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'The Functions host of ${name} reads its package and keeps its keys and leases here.'
  }
}

resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, name, monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    description: '${name} sends its telemetry to Application Insights with its identity.'
  }
}

@description('The app\'s resource ID.')
output id string = app.id

@description('The app\'s managed identity, to grant it access to the family\'s data.')
output principalId string = app.identity.principalId

@description('The app\'s host name.')
output hostName string = app.properties.defaultHostName
