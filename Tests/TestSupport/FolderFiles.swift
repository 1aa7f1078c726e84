import Foundation

/// Every file under a folder (subfolders included), by its path relative to the folder, with its
/// bytes: what a test compares before and after an operation that must leave files unchanged.
public enum FolderFiles {
    public static func bytes(under dir: String) throws -> [String: Data] {
        guard let e = FileManager.default.enumerator(atPath: dir) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: dir])
        }
        var files = [String: Data]()
        while let p = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + p, isDirectory: &isDir), !isDir.boolValue {
                files[p] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + p))
            }
        }
        return files
    }
}
