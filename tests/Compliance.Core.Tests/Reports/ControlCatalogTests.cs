using System.Text.RegularExpressions;
using Compliance.Core.Reports;

namespace Compliance.Core.Tests.Reports;

public sealed partial class ControlCatalogTests
{
    private static readonly ControlCatalog Catalog = ControlCatalog.Default;

    [Fact]
    public void Controls_AreTheNineteenOfTheReferenceCatalog_InCatalogOrder()
    {
        Assert.Equal(
            ["INV-1", "MIN-1", "MIN-2", "PSE-1", "PUR-1", "PUR-2", "ACC-1", "RET-1", "RET-2", "TRN-1",
             "MON-1", "ERA-1", "ERA-2", "CRY-1", "KEY-1", "LOG-1", "LOG-2", "RSK-1", "MDL-1"],
            Catalog.Controls.Select(c => c.Id));
    }

    [Fact]
    public void Frameworks_AreTheSixMappingColumns_InTableOrder()
    {
        Assert.Equal(["ftc", "enisa", "nistPf", "nistAiRmf", "gdpr", "other"], Catalog.Frameworks.Select(f => f.Key));
        Assert.Equal("NIST Privacy Framework 1.0", Catalog.Frameworks.Single(f => f.Key == "nistPf").Name);
        Assert.All(Catalog.Frameworks, f => Assert.False(string.IsNullOrWhiteSpace(f.Name)));
        Assert.EndsWith("controls.md, compiled November 2026", Catalog.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryControl_HasItsTextAndTheCoreMappings()
    {
        var frameworkKeys = Catalog.Frameworks.Select(f => f.Key).ToList();

        Assert.All(Catalog.Controls, c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c.Title), c.Id);
            Assert.False(string.IsNullOrWhiteSpace(c.Statement), c.Id);
            Assert.False(string.IsNullOrWhiteSpace(c.Evidence), c.Id);
            Assert.False(string.IsNullOrWhiteSpace(c.PassRule), c.Id);
            Assert.Equal(frameworkKeys, c.Mappings.Keys);
            Assert.False(string.IsNullOrWhiteSpace(c.Mappings["nistPf"]), c.Id);
            Assert.False(string.IsNullOrWhiteSpace(c.Mappings["gdpr"]), c.Id);
            Assert.NotEmpty(c.NistPfIds);
            Assert.NotEmpty(c.AiRmfIds);
            Assert.NotEmpty(c.GdprArticles);
        });
    }

    [Fact]
    public void Text_IsPlain_NoMarkdownAndNoPlaceholderDash()
    {
        var texts = Catalog.Controls
            .SelectMany(c => new[] { c.Title, c.Statement, c.Evidence, c.PassRule }.Concat(c.Mappings.Values))
            .Concat(Catalog.Sources.Select(s => s.Citation));

        Assert.All(texts, t =>
        {
            Assert.DoesNotContain("*", t, StringComparison.Ordinal);
            Assert.DoesNotContain("`", t, StringComparison.Ordinal);
            Assert.DoesNotContain("|", t, StringComparison.Ordinal);
            Assert.NotEqual("—", t);
            Assert.Equal(t.Trim(), t);
        });
    }

    [Fact]
    public void EverySourceKeyCitedInAMapping_IsDefinedOnce()
    {
        var defined = Catalog.Sources.Select(s => s.Key).ToList();
        var cited = Catalog.Controls
            .SelectMany(c => c.Mappings.Values)
            .SelectMany(v => SourceKeyPattern().Matches(v).Select(m => m.Groups["key"].Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(defined.Count, defined.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("F-CH", cited);
        Assert.Contains("PF10", cited);
        Assert.All(cited, key => Assert.Contains(key, defined));
        Assert.All(Catalog.Sources, s => Assert.False(string.IsNullOrWhiteSpace(s.Citation), s.Key));
    }

    [Fact]
    public void ParsedIds_HaveTheirFrameworkShape_AndAppearInTheirMappingText()
    {
        Assert.All(Catalog.Controls, c =>
        {
            Assert.All(c.NistPfIds, id =>
            {
                Assert.Matches(NistPfIdPattern(), id);
                Assert.Contains(id, c.Mappings["nistPf"], StringComparison.Ordinal);
            });
            Assert.All(c.AiRmfIds, id =>
            {
                Assert.Matches(AiRmfIdPattern(), id);
                Assert.Contains(id, c.Mappings["nistAiRmf"], StringComparison.Ordinal);
            });
            Assert.All(c.GdprArticles, a => Assert.Matches(GdprArticlePattern(), a));
            Assert.Equal(c.NistPfIds.Count, c.NistPfIds.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(c.AiRmfIds.Count, c.AiRmfIds.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(c.GdprArticles.Count, c.GdprArticles.Distinct(StringComparer.Ordinal).Count());
        });
    }

    [Fact]
    public void SpotChecks_MatchTheReferenceCatalog()
    {
        var ret1 = Catalog.Get("RET-1");
        Assert.Equal(["CT.DM-P5", "GV.PO-P1", "PR.DS-P3"], ret1.NistPfIds);
        Assert.Equal(["MEASURE 2.10"], ret1.AiRmfIds);
        Assert.Equal(["Art. 5(1)(e)", "Art. 30(1)(f)"], ret1.GdprArticles);
        Assert.Equal("O = 0", ret1.PassRule);
        Assert.Equal("SI-12, SI-12(3) [53]", ret1.Mappings["other"]);

        var era1 = Catalog.Get("ERA-1");
        Assert.Contains("Art. 17(1)", era1.Mappings["gdpr"], StringComparison.Ordinal);
        Assert.Equal(["Art. 17(1)", "Art. 12(3)", "Art. 19"], era1.GdprArticles);
        Assert.Equal("Erasure requests are fulfilled by crypto-shredding the subject's keys, and then verified.", era1.Statement);
        Assert.StartsWith("p95 ≤ 72 h, max ≤ 30 d, V = 0, Q = 0", era1.PassRule, StringComparison.Ordinal);

        // Backticks and bold are dropped, the words kept.
        Assert.StartsWith("C1 = number of distinct categories seen in INGEST events", Catalog.Get("INV-1").Evidence, StringComparison.Ordinal);
        Assert.Contains("held both training-data read and pseudonymisation-secret", Catalog.Get("PSE-1").Evidence, StringComparison.Ordinal);

        // Grouped points are listed one by one.
        Assert.Equal(["Art. 30(1)(b)", "Art. 30(1)(c)", "Art. 30(1)(f)", "Art. 5(2)"], Catalog.Get("INV-1").GdprArticles);
        Assert.Equal(["Art. 5(1)(f)", "Art. 25(2)", "Art. 32(1)(b)", "Art. 32(4)"], Catalog.Get("ACC-1").GdprArticles);

        // "—" followed by a remark is kept as written; only a bare "—" is empty.
        Assert.StartsWith("— (at most by extension of [F-2012]", Catalog.Get("LOG-2").Mappings["ftc"], StringComparison.Ordinal);
        Assert.Equal(["MEASURE 2.10", "MEASURE 2.7", "MANAGE 1.1"], Catalog.Get("MDL-1").AiRmfIds);
        Assert.Equal(["CT.DM-P9", "CT.DM-P10"], Catalog.Get("MDL-1").NistPfIds);

        Assert.StartsWith("In re Chegg, Inc., FTC File 202-3151.", Catalog.Sources.Single(s => s.Key == "F-CH").Citation, StringComparison.Ordinal);
        Assert.Contains(Catalog.Sources, s => s.Key == "E-PS19");
        Assert.Contains(Catalog.Sources, s => s.Key == "E-PS21");
    }

    [Fact]
    public void Get_UnknownId_ThrowsNamingTheId()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => Catalog.Get("ret-1"));

        Assert.Contains("'ret-1'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_IsLoadedOnce_AndCannotBeChangedThroughItsCollections()
    {
        Assert.Same(ControlCatalog.Default, ControlCatalog.Default);

        var control = Catalog.Get("RET-1");
        Assert.Same(control, Catalog.Controls[7]);
        Assert.False(control.Mappings is IDictionary<string, string> { IsReadOnly: false });
        Assert.False(control.NistPfIds is ICollection<string> { IsReadOnly: false });
        Assert.False(Catalog.Controls is ICollection<ControlDefinition> { IsReadOnly: false });
        Assert.False(Catalog.Sources is ICollection<SourceReference> { IsReadOnly: false });
    }

    [GeneratedRegex(@"\[(?<key>[^\[\]]+)\]")]
    private static partial Regex SourceKeyPattern();

    [GeneratedRegex(@"^[A-Z]{2}\.[A-Z]{2}-P\d+$")]
    private static partial Regex NistPfIdPattern();

    [GeneratedRegex(@"^(GOVERN|MAP|MEASURE|MANAGE) \d+\.\d+$")]
    private static partial Regex AiRmfIdPattern();

    [GeneratedRegex(@"^Art\. \d+(\(\d+\))*(\([a-z]\))?$")]
    private static partial Regex GdprArticlePattern();
}
