// Skyfold on Azure: both function families as Function Apps on the Flex Consumption plan,
// the storage they work on, and only the access each needs.
//
// - image-resizer: images land in the container under uploads/; Event Grid hands each
//   BlobCreated event to resizeImage, which writes the thumbnail under resized/.
// - chat-notifier: postMessage and messageHistory behind HTTP, callers authenticated by
//   an OpenID Connect token; messages in an Azure Table; pushes to FCM when a key is given.
//
// Deploy in two steps (README, "Deploy with Bicep"): this template with subscribeToUploads=false,
// then the app folders, then this template again with subscribeToUploads=true, since Event
// Grid checks that the function it delivers to exists.

@description('Where the resources go.')
param location string = resourceGroup().location

@description('When reconcileThumbnails runs: an NCRONTAB expression (UTC); a run that stops continues at the next.')
param reconcileSchedule string = '0 30 3 * * *'

@description('Starts every resource name: lowercase letters and digits.')
@minLength(3)
@maxLength(11)
param namePrefix string = 'skyfold'

@description('The container images land in (under uploads/) and thumbnails go to (under resized/).')
@minLength(3)
@maxLength(63)
param imageContainer string = 'skyfold'

@description('The Azure Table that holds the chat\'s messages.')
@minLength(3)
@maxLength(63)
param chatTable string = 'chatmessages'

@description('The Java version both apps run on.')
@allowed([
  '17'
  '21'
])
param javaVersion string = '17'

@description('The most instances the resizer scales out to.')
@minValue(1)
@maxValue(1000)
param resizerMaximumInstances int = 100

@description('The most instances the chat scales out to.')
@minValue(1)
@maxValue(1000)
param chatMaximumInstances int = 100

@description('Resizer instances kept warm for resizeImage, so an upload never waits for a cold start; 0 scales to zero.')
@minValue(0)
@maxValue(1000)
param resizerAlwaysReadyInstances int = 0

@description('Chat instances kept warm for its HTTP functions, so a request never waits for a cold start; 0 scales to zero.')
@minValue(0)
@maxValue(1000)
param chatAlwaysReadyInstances int = 0

@description('Memory per instance, in MB, for both apps.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Issuer of the tokens that callers of the chat present (the iss claim), such as https://login.microsoftonline.com/<tenant>/v2.0; its OpenID configuration must be public.')
param tokenIssuer string

@description('The audience (client ID) those tokens are issued for.')
param tokenAudience string

@description('The Firebase service-account key (JSON) the chat pushes to FCM with; empty leaves FCM off and creates no Key Vault.')
@secure()
param fcmServiceAccountKey string = ''

@description('Whether to subscribe resizeImage to the uploads; true only once the resizer\'s code is deployed.')
param subscribeToUploads bool = false

@description('Resource ID of the Azure Monitor action group every alert notifies (e-mail, SMS, a webhook for whoever is on call).')
param alertActionGroupId string

var suffix = uniqueString(resourceGroup().id)
var dataStorageName = take('${namePrefix}${suffix}', 24)
var resizerAppName = '${namePrefix}-resizer-${suffix}'
var chatAppName = '${namePrefix}-chat-${suffix}'
var vaultName = 'kv-${suffix}'
var fcmSecretName = 'fcm-service-account'
var fcmEnabled = !empty(fcmServiceAccountKey)
var deadLetterContainerName = 'deadletters'

// Built-in roles (their IDs are the same in every tenant).
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

// The resizer may read blobs under uploads/ only: reading anything else, or listing (which
// has no blob path to test), is denied.
var readUploadsOnly = '''
(
  (
    !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})
  )
  OR
  (
    @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'uploads/'
  )
)'''

// ... and may read, write and delete blobs under resized/ only: every data action of the
// Contributor role is held to that prefix.
var writeResizedOnly = '''
(
  (
    !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})
    AND
    !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})
    AND
    !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'})
    AND
    !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'})
    AND
    !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action'})
  )
  OR
  (
    @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'resized/'
  )
)'''

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-insights-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    // Only Entra ID identities (the apps') may send telemetry.
    DisableLocalAuth: true
  }
}

// The families' data: images and the chat table. Shared keys are off, so every access is
// an identity with a role below.
resource data 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: dataStorageName
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

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: data
  name: 'default'
}

resource images 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: imageContainer
  properties: {
    publicAccess: 'None'
  }
}

// Events Event Grid gave up delivering land here.
resource deadLetters 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deadLetterContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: data
  name: 'default'
}

resource messages 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tables
  name: chatTable
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = if (fcmEnabled) {
  name: vaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource fcmSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (fcmEnabled) {
  parent: vault
  name: fcmSecretName
  properties: {
    value: fcmServiceAccountKey
    contentType: 'application/json'
  }
}

var chatSettings = {
  SKYFOLD_CHAT_AZURE_ENDPOINT: data.properties.primaryEndpoints.table
  SKYFOLD_CHAT_AZURE_TABLE: chatTable
  // The table is created here; the app's role may not create tables.
  SKYFOLD_CHAT_AZURE_CREATETABLE: 'false'
  SKYFOLD_CHAT_FCM_ENABLED: fcmEnabled ? 'true' : 'false'
}

var chatFcmSettings = {
  // Resolved by the platform with the app's identity: the key never shows in the settings.
  SKYFOLD_CHAT_AZURE_FCMCREDENTIALS: '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${fcmSecretName})'
}

module resizer 'function-app.bicep' = {
  name: 'resizer-app'
  params: {
    name: resizerAppName
    location: location
    mainClass: 'dev.skyfold.imageresizer.azure.ImageResizerAzureApplication'
    javaVersion: javaVersion
    maximumInstanceCount: resizerMaximumInstances
    alwaysReady: resizerAlwaysReadyInstances == 0 ? [] : [
      {
        name: 'function:resizeImage'
        instanceCount: resizerAlwaysReadyInstances
      }
    ]
    instanceMemoryMB: instanceMemoryMB
    applicationInsightsName: insights.name
    appSettings: {
      SKYFOLD_IMAGERESIZER_AZURE_BLOB_ENDPOINT: data.properties.primaryEndpoints.blob
      IMAGE_RESIZER_CONTAINER: imageContainer
      // reconcileThumbnails' timer (NCRONTAB, UTC): nightly at 03:30.
      RECONCILE_SCHEDULE: reconcileSchedule
      // The classic blob trigger polls the host's storage, which Flex Consumption does not
      // support; Event Grid drives resizeImage instead.
      'AzureWebJobs.resizeImageBlob.Disabled': 'true'
    }
  }
}

module chat 'function-app.bicep' = {
  name: 'chat-app'
  params: {
    name: chatAppName
    location: location
    mainClass: 'dev.skyfold.chat.azure.ChatNotifierAzureApplication'
    javaVersion: javaVersion
    maximumInstanceCount: chatMaximumInstances
    alwaysReady: chatAlwaysReadyInstances == 0 ? [] : [
      {
        name: 'http'
        instanceCount: chatAlwaysReadyInstances
      }
    ]
    instanceMemoryMB: instanceMemoryMB
    applicationInsightsName: insights.name
    appSettings: union(chatSettings, fcmEnabled ? chatFcmSettings : {})
  }
}

resource resizerReadsUploads 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(images.id, resizerAppName, storageBlobDataReader)
  scope: images
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
    principalId: resizer.outputs.principalId
    principalType: 'ServicePrincipal'
    condition: readUploadsOnly
    conditionVersion: '2.0'
    description: 'resizeImage reads the images under uploads/.'
  }
}

resource resizerWritesThumbnails 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(images.id, resizerAppName, storageBlobDataContributor)
  scope: images
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: resizer.outputs.principalId
    principalType: 'ServicePrincipal'
    condition: writeResizedOnly
    conditionVersion: '2.0'
    description: 'resizeImage writes thumbnails under resized/.'
  }
}

resource chatUsesMessages 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(messages.id, chatAppName, storageTableDataContributor)
  scope: messages
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: chat.outputs.principalId
    principalType: 'ServicePrincipal'
    description: 'postMessage and messageHistory read and write the chat table.'
  }
}

resource chatReadsFcmKey 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (fcmEnabled) {
  name: guid(vaultName, fcmSecretName, chatAppName, keyVaultSecretsUser)
  scope: fcmSecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: chat.outputs.principalId
    principalType: 'ServicePrincipal'
    description: 'The chat reads the FCM service-account key, and nothing else in the vault.'
  }
}

// Every chat request needs a valid token from the issuer; App Service answers 401 before
// the function runs, and hands the caller's claims to postMessage, which takes the author
// from them.
resource chatSite 'Microsoft.Web/sites@2024-04-01' existing = {
  name: chatAppName
}

resource chatAuthentication 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: chatSite
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
      customOpenIdConnectProviders: {
        skyfold: {
          enabled: true
          registration: {
            clientId: tokenAudience
            openIdConnectConfiguration: {
              wellKnownOpenIdConfiguration: '${endsWith(tokenIssuer, '/') ? tokenIssuer : '${tokenIssuer}/'}.well-known/openid-configuration'
            }
          }
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    httpSettings: {
      requireHttps: true
    }
  }
  dependsOn: [
    chat
  ]
}

// Storage events for the resizer: BlobCreated and BlobDeleted under uploads/ only (a deleted
// upload takes its thumbnails with it), so the thumbnails the resizer writes under resized/
// never trigger it again.
resource storageEvents 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: '${namePrefix}-storage-events-${suffix}'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: data.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource eventsDeadLetter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(deadLetters.id, storageEvents.id, storageBlobDataContributor)
  scope: deadLetters
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: storageEvents.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'Event Grid writes the events it could not deliver to resizeImage.'
  }
}

resource uploadsToResizer 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = if (subscribeToUploads) {
  parent: storageEvents
  name: 'resize-uploads'
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${resizer.outputs.id}/functions/resizeImage'
        maxEventsPerBatch: 1
      }
    }
    eventDeliverySchema: 'CloudEventSchemaV1_0'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
        'Microsoft.Storage.BlobDeleted'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${imageContainer}/blobs/uploads/'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: data.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
  dependsOn: [
    eventsDeadLetter
    images
  ]
}

// Alerts, each to the action group: a family's failed invocations (the requests
// Application Insights records for every trigger, by app), and events Event Grid had to
// dead-letter. They resolve themselves once the condition clears.
var failureAlerts = {
  resizer: {
    appName: resizerAppName
    description: 'resizeImage failed: an invocation threw or timed out'
  }
  chat: {
    appName: chatAppName
    description: 'A chat function (postMessage, messageHistory, broadcastMessage) failed: an invocation threw or timed out'
  }
}

resource failureAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = [for family in items(failureAlerts): {
  name: '${family.value.appName}-failures'
  location: 'global'
  properties: {
    description: family.value.description
    severity: 2
    enabled: true
    scopes: [
      insights.id
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'failed-invocations'
          metricNamespace: 'microsoft.insights/components'
          metricName: 'requests/failed'
          dimensions: [
            {
              name: 'cloud/roleName'
              operator: 'Include'
              values: [
                family.value.appName
              ]
            }
          ]
          operator: 'GreaterThanOrEqual'
          threshold: 1
          timeAggregation: 'Count'
        }
      ]
    }
    autoMitigate: true
    actions: [
      {
        actionGroupId: alertActionGroupId
      }
    ]
  }
}]

resource deadLetterAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-dead-lettered-uploads-${suffix}'
  location: 'global'
  properties: {
    description: 'Event Grid dead-lettered an upload event that resizeImage never took: see the deadletters container'
    severity: 2
    enabled: true
    scopes: [
      storageEvents.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'dead-lettered'
          metricNamespace: 'Microsoft.EventGrid/systemTopics'
          metricName: 'DeadLetteredCount'
          operator: 'GreaterThanOrEqual'
          threshold: 1
          timeAggregation: 'Total'
        }
      ]
    }
    autoMitigate: true
    actions: [
      {
        actionGroupId: alertActionGroupId
      }
    ]
  }
}

@description('The resizer\'s Function App, to publish skyfold-image-resizer to.')
output resizerAppName string = resizerAppName

@description('The chat\'s Function App, to publish skyfold-chat-notifier to.')
output chatAppName string = chatAppName

@description('The chat\'s messages endpoint (POST to post, GET for history).')
output chatMessagesUrl string = 'https://${chat.outputs.hostName}/api/messages'

@description('The storage account that holds the images and the chat table.')
output dataStorageAccount string = data.name

@description('The container to upload images to, under uploads/.')
output imageContainer string = images.name
