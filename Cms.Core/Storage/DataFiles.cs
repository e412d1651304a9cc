namespace Cms.Core.Storage;

/// <summary>Files AmpCMS keeps beside its database (report CSVs, diagnostics uploads): one folder per kind under the data directory.</summary>
public static class DataFiles
{
    public static string Folder(Database db, string kind)
    {
        var root = Path.GetDirectoryName(Path.GetFullPath(db.Path)) ?? ".";
        var folder = Path.Combine(root, kind);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
