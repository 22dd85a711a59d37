// The launcher and everything these tests attempt are Linux-only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
