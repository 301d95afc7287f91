// Resources of one environment. No secrets in outputs or app settings: every service is reached with the app's
// user-assigned managed identity, and the one secret (the subject-id secret) is a Key Vault reference.
param environmentName string
param location string
param tags object
param issuers array
param principalId string

@description('App ID URI (or client id) of the admin API app registration whose access tokens the admin endpoints accept.')
param adminAudience string

@description('Acs or Smtp: the mailer the app uses (Pipeline__Mail).')
param mail string
param acsMessagesPerMinute int
param acsMessagesPerHour int
param smtpHost string
param smtpPort int
param smtpSecurity string

@description('When set, Smtp__Password is a Key Vault reference to the secret smtp-password.')
param smtpUserName string

@description('Sender address of the claim emails; empty for DoNotReply@ the Communication Services domain.')
param mailFromAddress string

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var appName = 'func-${token}'
var deploymentContainer = 'app-package'
var queues = ['completions', 'issuance', 'emails', 'claim-resends']
var containers = ['sis-inbox', 'sis-processed', 'sis-reports', 'credentials', 'public', deploymentContainer]
var tables = ['events', 'progress', 'credentials', 'credentialsbylearner', 'claims', 'claimtokens', 'audit', 'statuslists']
var eventsTopic = 'credential-events'
var subjectIdSecretName = 'subject-id-secret'
var smtpPasswordSecretName = 'smtp-password'
var smtpSettings = mail == 'Smtp' ? concat([
  { name: 'Smtp__Host', value: smtpHost }
  { name: 'Smtp__Port', value: string(smtpPort) }
  { name: 'Smtp__Security', value: smtpSecurity }
], empty(smtpUserName) ? [] : [
  { name: 'Smtp__UserName', value: smtpUserName }
  { name: 'Smtp__Password', value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${smtpPasswordSecretName})' }
]) : []

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${token}'
  location: location
  tags: tags
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${token}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for name in containers: {
  parent: blobService
  name: name
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource stageQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for name in concat(queues, map(queues, q => '${q}-poison')): {
  parent: queueService
  name: name
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource ledgerTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for name in tables: {
  parent: tableService
  name: name
}]

resource storageSystemTopic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: 'evgt-${token}'
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${token}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 90
  }
}

resource issuerKeys 'Microsoft.KeyVault/vaults/keys@2023-07-01' = [for issuer in issuers: {
  parent: vault
  name: '${issuer.id}-signing'
  properties: issuer.algorithm == 'ES256'
    ? { kty: 'EC', curveName: 'P-256', keyOps: ['sign', 'verify'] }
    : { kty: 'RSA', keySize: 2048, keyOps: ['sign', 'verify'] }
}]

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: 'sb-${token}'
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = {
  parent: serviceBus
  name: eventsTopic
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'P1D'
    defaultMessageTimeToLive: 'P14D'
  }
}

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: 'email-${token}'
  location: 'global'
  tags: tags
  properties: {
    dataLocation: 'United States'
  }
}

resource emailDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: 'acs-${token}'
  location: 'global'
  tags: tags
  properties: {
    dataLocation: 'United States'
    linkedDomains: [emailDomain.id]
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: 40
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: concat([
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        { name: 'Pipeline__CatalogFolder', value: 'catalog' }
        { name: 'Pipeline__KeyVaultUri', value: vault.properties.vaultUri }
        { name: 'Pipeline__ServiceBusNamespace', value: '${serviceBus.name}.servicebus.windows.net' }
        { name: 'Pipeline__EventsTopic', value: eventsTopic }
        { name: 'Pipeline__AcsEndpoint', value: 'https://${communication.properties.hostName}/' }
        { name: 'Pipeline__SubjectIdSecret', value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${subjectIdSecretName})' }
        { name: 'Pipeline__AdminTenantId', value: tenant().tenantId }
        { name: 'Pipeline__AdminAudience', value: adminAudience }
        { name: 'Pipeline__Mail', value: mail }
        { name: 'Pipeline__AcsMessagesPerMinute', value: string(acsMessagesPerMinute) }
        { name: 'Pipeline__AcsMessagesPerHour', value: string(acsMessagesPerHour) }
        { name: 'ClaimEmail__FromAddress', value: empty(mailFromAddress) ? 'DoNotReply@${emailDomain.properties.mailFromSenderDomain}' : mailFromAddress }
      ], smtpSettings)
    }
  }
  dependsOn: [blobContainers, stageQueues, ledgerTables]
}

module appRoles 'modules/roles.bicep' = {
  name: 'app-roles'
  params: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    storageAccountName: storage.name
    keyVaultName: vault.name
    serviceBusNamespaceName: serviceBus.name
    communicationServiceName: communication.name
    insightsName: insights.name
    roles: roles
  }
}

resource deployerSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  scope: vault
  name: guid(vault.id, principalId, roles.keyVaultSecretsOfficer)
  properties: {
    principalId: principalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

output functionAppName string = app.name
output storageAccountName string = storage.name
output keyVaultName string = vault.name
output keyVaultUri string = vault.properties.vaultUri
output serviceBusNamespace string = '${serviceBus.name}.servicebus.windows.net'
output storageSystemTopicName string = storageSystemTopic.name
output subjectIdSecretName string = subjectIdSecretName
