namespace JitNotebooks.Export;

/// <summary>The export cannot go on; the message names the file or cell at fault and what to do.</summary>
public sealed class SiteExportException(string message, Exception? inner = null) : Exception(message, inner);
