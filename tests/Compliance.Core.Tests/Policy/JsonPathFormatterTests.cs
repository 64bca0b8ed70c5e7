using Compliance.Core.Policy;

namespace Compliance.Core.Tests.Policy;

public sealed class JsonPathFormatterTests
{
    [Theory]
    [InlineData("", "$")]
    [InlineData("/categories/transcript/retentionDays", "$.categories.transcript.retentionDays")]
    [InlineData("/categories/app-focus", "$.categories['app-focus']")]
    [InlineData("/grants/3/categories/0", "$.grants[3].categories[0]")]
    [InlineData("/a~1b/c~0d", "$['a/b']['c~d']")]
    [InlineData("/it's", "$['it\\'s']")]
    public void FromPointer_Pointer_ReadableJsonPath(string jsonPointer, string expected)
    {
        Assert.Equal(expected, JsonPathFormatter.FromPointer(jsonPointer));
    }
}
