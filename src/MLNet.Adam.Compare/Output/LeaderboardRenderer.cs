using MLNet.Adam.Compare.Evaluation;
using Spectre.Console;

namespace MLNet.Adam.Compare.Output;

/// <summary>The leaderboard as a console table, ranked by mean test log-loss.</summary>
internal static class LeaderboardRenderer
{
    public static void Render(IAnsiConsole console, CompareReport report)
    {
        bool binary = report.Task == "binary";
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Leaderboard[/] ({Markup.Escape(report.Evaluation)}; ranked by test log-loss)");
        foreach (var header in Format.Headers(binary))
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }

        for (int i = 0; i < report.Leaderboard.Count; i++)
        {
            var cells = Format.Row(i + 1, report.Leaderboard[i], binary).Select(c => Markup.Escape(c)).ToArray();
            if (i == 0 && report.Leaderboard[i].Error is null)
            {
                cells = [.. cells.Select(c => $"[green]{c}[/]")];
            }

            table.AddRow(cells);
        }

        console.Write(table);
        foreach (var note in report.Leaderboard.Where(r => r.AucNote is not null))
        {
            console.MarkupLine($"[grey]{Markup.Escape($"{note.Name}: {note.AucNote}.")}[/]");
        }

        console.MarkupLine($"[grey]Memory: {Markup.Escape(report.MemoryMeasure)}. Model size: the trained model alone saved as an ML.NET zip.[/]");
    }
}
