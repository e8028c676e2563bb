namespace JitNotebooks.Runner.Notebooks;

/// <summary>The three nbformat cell types.</summary>
public enum CellKind { Markdown, Raw, Code }

/// <summary>One cell as the kernel sees it: its kind, the kernel that runs it, its source.</summary>
/// <param name="Index">0-based position in the notebook.</param>
/// <param name="Id">nbformat 4.5 cell id, when the file has one.</param>
/// <param name="Kind">Code, markdown or raw.</param>
/// <param name="Source">The cell's text.</param>
/// <param name="KernelName">The kernel that runs a code cell (csharp, fsharp, html, …), after aliases are resolved.</param>
/// <param name="RaisesException">Tagged <c>raises-exception</c>: an error is expected (as nbclient treats it).</param>
public sealed record NotebookCell(int Index, string? Id, CellKind Kind, string KernelName, string Source, bool RaisesException)
{
    /// <summary>1-based position, as a person counts cells.</summary>
    public int Number => Index + 1;

    public bool IsCode => Kind == CellKind.Code;
}

/// <summary>A file the runner will not run: not JSON, not an nbformat 4 notebook, or not a .NET notebook.</summary>
public sealed class NotebookRefusedException(string problem) : Exception(problem);

/// <summary>Outputs could not be written back (read-only file or folder, disk full…); the file is unchanged.</summary>
public sealed class NotebookWriteException(string problem, Exception? inner = null) : Exception(problem, inner);
