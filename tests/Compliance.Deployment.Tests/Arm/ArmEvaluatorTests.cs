using System.Text.Json.Nodes;

namespace Compliance.Deployment.Tests.Arm;

public sealed class ArmEvaluatorTests
{
    private const string Template = """
        {
          "parameters": {
            "environmentName": { "type": "string" },
            "prefix": { "type": "string", "defaultValue": "st" },
            "names": { "type": "array", "defaultValue": [ "a", "b", "c" ] },
            "purge": { "type": "bool", "defaultValue": true }
          },
          "variables": {
            "token": "[toLower(uniqueString(subscription().id, parameters('environmentName')))]",
            "names": { "account": "[format('{0}{1}', parameters('prefix'), variables('token'))]" }
          },
          "resources": [
            {
              "type": "Microsoft.Resources/deployments",
              "name": "child",
              "properties": {
                "expressionEvaluationOptions": { "scope": "inner" },
                "parameters": {
                  "account": { "value": "[variables('names').account]" },
                  "tables": { "value": "[parameters('names')]" }
                },
                "template": {
                  "parameters": { "account": { "type": "string" }, "tables": { "type": "array" } },
                  "resources": [
                    {
                      "copy": { "name": "t", "count": "[length(parameters('tables'))]" },
                      "type": "Microsoft.Storage/storageAccounts/tableServices/tables",
                      "name": "[format('{0}/{1}/{2}', parameters('account'), 'default', parameters('tables')[copyIndex()])]",
                      "properties": {
                        "id": "[resourceId('Microsoft.Storage/storageAccounts/tableServices/tables', parameters('account'), 'default', parameters('tables')[copyIndex()])]"
                      }
                    }
                  ],
                  "outputs": {
                    "endpoint": { "type": "string", "value": "[reference(resourceId('Microsoft.Storage/storageAccounts', parameters('account')), '2025-06-01').primaryEndpoints.blob]" },
                    "first": { "type": "string", "value": "[parameters('tables')[0]]" }
                  }
                }
              }
            }
          ],
          "outputs": {
            "endpoint": { "type": "string", "value": "[reference(extensionResourceId(format('/subscriptions/{0}', subscription().subscriptionId), 'Microsoft.Resources/deployments', 'child'), '2025-04-01').outputs.endpoint.value]" },
            "first": { "type": "string", "value": "[reference(resourceId('Microsoft.Resources/deployments', 'child')).outputs.first.value]" },
            "maybe": { "type": "bool", "value": "[if(parameters('purge'), true(), null())]" },
            "quoted": { "type": "string", "value": "[[not an expression]" },
            "concatenated": { "type": "string", "value": "[concat('it''s ', toUpper('x'), string(1))]" }
          }
        }
        """;

    private static readonly ArmTemplate Main = ArmTemplate.Parse(Template);

    private static ArmTemplate Child => Assert.Single(Main.Modules);

    [Fact]
    public void Evaluate_ModuleParameter_FollowsTheBindingIntoTheParentsVariablesAndDefaults()
    {
        var account = ArmEvaluator.Evaluate(Child, JsonValue.Create("[parameters('account')]"));

        Assert.Equal("st{toLower(uniqueString(subscription().id, parameters('environmentName')))}", ArmEvaluator.Text(account));
    }

    [Fact]
    public void All_CopyLoop_OneResourcePerIterationWithItsOwnIndex()
    {
        var tables = DeployedResource.All(Main).Where(r => r.IsOfType("Microsoft.Storage/storageAccounts/tableServices/tables")).ToList();

        Assert.Equal(["a", "b", "c"], tables.Select(t => t.ShortName));
        Assert.Equal([0, 1, 2], tables.Select(t => t.CopyIndex!.Value));
    }

    [Fact]
    public void Evaluate_ResourceId_InterleavesTypesAndNamesLikeAScope()
    {
        var table = DeployedResource.All(Main).First(r => r.IsOfType("Microsoft.Storage/storageAccounts/tableServices/tables"));

        Assert.EndsWith("/tableServices/default/tables/a", ArmEvaluator.Text(table.Get("properties.id")), StringComparison.Ordinal);
        Assert.StartsWith("Microsoft.Storage/storageAccounts/st{", ArmEvaluator.Text(table.Get("properties.id")), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ModuleOutputReference_EvaluatesTheOutputInsideTheModule()
    {
        Assert.Equal("a", ArmEvaluator.Evaluate(Main, Main.Outputs["first"].Value));
        var endpoint = Assert.IsType<ArmEvaluator.Symbol>(ArmEvaluator.Evaluate(Main, Main.Outputs["endpoint"].Value));
        Assert.StartsWith("reference('Microsoft.Storage/storageAccounts/st{", endpoint.Text, StringComparison.Ordinal);
        Assert.EndsWith(".primaryEndpoints.blob", endpoint.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_LiteralsAndSimpleFunctions()
    {
        Assert.Equal(true, ArmEvaluator.Evaluate(Main, Main.Outputs["maybe"].Value));
        Assert.Equal("[not an expression]", ArmEvaluator.Evaluate(Main, Main.Outputs["quoted"].Value));
        Assert.Equal("it's X{string(1)}", ArmEvaluator.Evaluate(Main, Main.Outputs["concatenated"].Value));
    }

    [Fact]
    public void Evaluate_TopLevelParameterWithoutDefault_IsASymbolNamingIt()
    {
        var value = ArmEvaluator.Evaluate(Main, JsonValue.Create("[parameters('environmentName')]"));

        Assert.Equal(new ArmEvaluator.Symbol("parameters('environmentName')"), value);
    }

    [Theory]
    [InlineData("[format('{0}', ]")]
    [InlineData("[concat('unterminated)]")]
    [InlineData("[parameters('prefix') extra]")]
    public void Evaluate_MalformedExpression_FormatExceptionQuotingIt(string expression)
    {
        var ex = Assert.Throws<FormatException>(() => ArmEvaluator.Evaluate(Main, JsonValue.Create(expression)));

        Assert.Contains(expression, ex.Message, StringComparison.Ordinal);
    }
}
