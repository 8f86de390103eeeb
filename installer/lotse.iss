; Inno Setup script: per-user install, no admin rights, vaults untouched on uninstall.
[Setup]
AppName=Lotse
AppVersion=0.1.0
AppPublisher=Lotse
DefaultDirName={localappdata}\Programs\Lotse
DefaultGroupName=Lotse
PrivilegesRequired=lowest
OutputBaseFilename=Lotse-Setup-0.1.0
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no

[Languages]
Name: "de"; MessagesFile: "compiler:Languages\German.isl"

[Files]
Source: "dist\Lotse\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\Lotse"; Filename: "{app}\Lotse.exe"
Name: "{userdesktop}\Lotse"; Filename: "{app}\Lotse.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Verknüpfung auf dem Desktop anlegen"; Flags: unchecked
