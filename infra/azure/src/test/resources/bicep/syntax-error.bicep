param name string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  sku: {
    name: 'Standard_LRS'
  // the object above is never closed
