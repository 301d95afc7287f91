using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Pipeline.Azure.Storage;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Functions.Tests;

/// <summary>
/// The Bicep and the app agree: every required <c>Pipeline</c> setting and the storage connection are app settings,
/// and the queues, tables and containers the code uses are the ones the infrastructure creates.
/// </summary>
public sealed partial class InfrastructureTests
{
    private static readonly string Resources = File.ReadAllText(Path.Combine(FunctionsOutput.RepositoryRoot(), "infra", "resources.bicep"));

    private static List<string> BicepArray(string variable)
    {
        var match = Regex.Match(Resources, $@"^var {variable} = \[(?<items>[^\]]*)\]", RegexOptions.Multiline);
        Assert.True(match.Success, $"resources.bicep has no array variable {variable}");
        return QuotedItem().Matches(match.Groups["items"].Value).Select(m => m.Groups[1].Value).ToList();
    }

    private static List<string> AppSettingNames() =>
        AppSetting().Matches(Resources).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public void Every_required_Pipeline_option_and_the_identity_based_storage_connection_is_an_app_setting()
    {
        var options = Assembly.LoadFrom(Path.Combine(FunctionsOutput.Folder, "Pipeline.Functions.dll"))
            .GetType("Pipeline.Functions.Hosting.AzurePipelineOptions", throwOnError: true)!;
        var required = options.GetProperties().Where(p => p.GetCustomAttribute<RequiredAttribute>() is not null).Select(p => $"Pipeline__{p.Name}");
        var settings = AppSettingNames();

        Assert.All(required, name => Assert.Contains(name, settings));
        Assert.Contains("AzureWebJobsStorage__accountName", settings);
        Assert.Contains("AZURE_CLIENT_ID", settings);
        Assert.DoesNotContain(settings, s => s.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) && s != "APPLICATIONINSIGHTS_CONNECTION_STRING");
    }

    [Fact]
    public void The_infrastructure_creates_the_stage_queues_the_code_sends_to()
    {
        Assert.Equal(Queues.All, BicepArray("queues"));
        Assert.Contains("map(queues, q => '${q}-poison')", Resources, StringComparison.Ordinal);
    }

    [Fact]
    public void The_infrastructure_creates_every_ledger_table()
    {
        var tables = PipelineTables.Open(new TableServiceClient("UseDevelopmentStorage=true"), "").Names;

        Assert.Equal(tables.Order(StringComparer.Ordinal), BicepArray("tables").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_infrastructure_creates_every_container_the_code_uses()
    {
        string[] used = [Containers.SisInbox, Containers.SisProcessed, Containers.SisReports, Containers.Credentials, Containers.Public];

        Assert.All(used, container => Assert.Contains(container, BicepArray("containers")));
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedItem();

    [GeneratedRegex(@"\{ name: '([^']+)', value:")]
    private static partial Regex AppSetting();
}
