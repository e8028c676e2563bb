namespace JitNotebooks.Display;

/// <summary>
/// A value that shows itself in two forms: HTML for the notebook, plain text for a terminal.
/// Types that implement it carry <c>[TypeFormatterSource(typeof(RichDisplayFormatterSource), ...)]</c>
/// so that the kernel emits both forms for them (text/html and text/plain).
/// </summary>
public interface IRichDisplay
{
    /// <summary>The plain-text form (what the runner prints in a terminal).</summary>
    string ToText();

    /// <summary>The HTML form (what a notebook shows).</summary>
    string ToHtml();
}
