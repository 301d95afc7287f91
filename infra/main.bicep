// The whole deployment for `azd up`: one resource group holding the Functions app and everything it uses.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Azure region of every resource (Flex Consumption must be available there).')
param location string

@description('Issuers whose signing keys Key Vault holds: the catalog issuer id and its algorithm (RS256, or ES256).')
param issuers array = [
  {
    id: 'umaine'
    algorithm: 'RS256'
  }
]

@description('Principal id of the person running azd (granted Key Vault Secrets Officer to seed the subject-id secret); empty to skip.')
param principalId string = ''

@description('App ID URI (or client id) of the admin API app registration (docs/deploy.md, Admin API).')
param adminAudience string = 'api://credential-pipeline-admin'

@allowed(['Acs', 'Smtp'])
@description('How claim emails leave: Communication Services (Acs) or the institution\'s own SMTP relay (Smtp, with the smtp* parameters).')
param mail string = 'Acs'

@minValue(1)
@description('Emails per sliding minute per app instance before sends wait (ACS default quota: 30).')
param acsMessagesPerMinute int = 30

@minValue(1)
@description('Emails per sliding hour per app instance before sends wait (ACS default quota: 100).')
param acsMessagesPerHour int = 100

@description('SMTP relay host name (mail = Smtp).')
param smtpHost string = ''

@minValue(1)
@maxValue(65535)
@description('SMTP relay port (mail = Smtp).')
param smtpPort int = 587

@allowed(['None', 'SslOnConnect', 'StartTls', 'StartTlsWhenAvailable'])
@description('TLS on the SMTP connection (mail = Smtp).')
param smtpSecurity string = 'StartTls'

@description('SMTP user name; when set, the password is read from the Key Vault secret smtp-password (mail = Smtp).')
param smtpUserName string = ''

@description('Sender address of the claim emails; empty for DoNotReply@ the Communication Services domain (set it with mail = Smtp).')
param mailFromAddress string = ''

var tags = { 'azd-env-name': environmentName }

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'resources'
  scope: group
  params: {
    environmentName: environmentName
    location: location
    tags: tags
    issuers: issuers
    principalId: principalId
    adminAudience: adminAudience
    mail: mail
    acsMessagesPerMinute: acsMessagesPerMinute
    acsMessagesPerHour: acsMessagesPerHour
    smtpHost: smtpHost
    smtpPort: smtpPort
    smtpSecurity: smtpSecurity
    smtpUserName: smtpUserName
    mailFromAddress: mailFromAddress
  }
}

output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output AZURE_STORAGE_ACCOUNT_NAME string = resources.outputs.storageAccountName
output AZURE_KEY_VAULT_NAME string = resources.outputs.keyVaultName
output AZURE_KEY_VAULT_URI string = resources.outputs.keyVaultUri
output AZURE_SERVICE_BUS_NAMESPACE string = resources.outputs.serviceBusNamespace
output AZURE_EVENT_GRID_SYSTEM_TOPIC string = resources.outputs.storageSystemTopicName
