@description('Where.')
param location string = resourceGroup().location

@secure()
param secret string = ''

var names = [for i in range(0, 2): 'name${i}']
var condition = '''
(
  @Resource[Microsoft.Storage/storageAccounts:name] StringEquals 'it''s'
)'''

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = if (!empty(secret)) {
  name: 'account'
  location: location
  kind: 'StorageV2'
  properties: {
    'quoted-key': 'it\'s \${escaped}'
    allowSharedKeyAccess: false
    count: 3
    nothing: null
    list: [
      'a'
      first(names)
    ]
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for name in names: {
  name: 'account/default/${name}'
}]

output condition string = condition
