param name string
param forgotten string
var unusedSetting = 'x'

resource other 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: 'elsewhere'
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
}
