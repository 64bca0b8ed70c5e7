using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Polly;

namespace Compliance.Storage.Tables;

/// <summary>
/// Table operations through the resilience pipeline, for every store: paged queries that resume from their
/// continuation token after a transient failure (a long scan neither restarts nor holds more than a page),
/// point reads that may find nothing, and conditional inserts that report a conflict instead of throwing.
/// </summary>
internal static class TableOperations
{
    public const int PageSize = 1000;

    public static IAsyncEnumerable<T> QueryAsync<T>(this TableClient table, ResiliencePipeline pipeline, string filter, IEnumerable<string>? select, CancellationToken cancellationToken)
        where T : class, ITableEntity, new() =>
        table.QueryAsync<T>(pipeline, filter, select, PageSize, cancellationToken);

    /// <summary>The query in pages of <paramref name="pageSize"/> entities: a caller that needs only a few asks for only a few.</summary>
    public static async IAsyncEnumerable<T> QueryAsync<T>(
        this TableClient table,
        ResiliencePipeline pipeline,
        string filter,
        IEnumerable<string>? select,
        int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, ITableEntity, new()
    {
        pageSize = Math.Clamp(pageSize, 1, PageSize);
        string? continuation = null;
        do
        {
            var token = continuation;
            var page = await pipeline.ExecuteAsync(
                async ct =>
                {
                    var pages = table.QueryAsync<T>(filter, pageSize, select, ct).AsPages(token, pageSize).GetAsyncEnumerator(ct);
                    await using (pages.ConfigureAwait(false))
                    {
                        return await pages.MoveNextAsync().ConfigureAwait(false) ? pages.Current : null;
                    }
                },
                cancellationToken).ConfigureAwait(false);
            if (page is null)
            {
                yield break;
            }

            foreach (var entity in page.Values)
            {
                yield return entity;
            }

            continuation = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(continuation));
    }

    /// <summary>Reads one entity, or null when it does not exist.</summary>
    public static async Task<T?> TryGetAsync<T>(this TableClient table, ResiliencePipeline pipeline, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var response = await pipeline.ExecuteAsync(
            async ct => await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>True for the conflict an insert gets when the row (or a row in its batch) already exists.</summary>
    public static bool IsConflict(RequestFailedException exception) => exception.Status == 409;

    /// <summary>Runs a conditional insert through the pipeline: true when it inserted, false when the row already existed.</summary>
    public static async Task<bool> TryInsertAsync(this ResiliencePipeline pipeline, Func<CancellationToken, Task> insert, CancellationToken cancellationToken)
    {
        try
        {
            await pipeline.ExecuteAsync(async ct => await insert(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (IsConflict(ex))
        {
            return false;
        }
    }
}
