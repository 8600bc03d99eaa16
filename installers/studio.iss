; Inno Setup script for Windows: packs the PyInstaller folder (dist\studio) into an installer.
; Build on Windows, after `pyinstaller installers\studio.spec --noconfirm`:
;   iscc installers\studio.iss        -> installers\Output\live-studio-companion-setup.exe
; Not built on this project's Linux machines; see installers/README.md.

#define AppName "Live Studio Companion"
#define AppVersion "0.1.0"

[Setup]
AppId={{7C5E2B4A-3F1D-4C8E-9B6A-2D4F8E1A9C03}
AppName={#AppName}
AppVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
OutputBaseFilename=live-studio-companion-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog

[Files]
Source: "..\dist\studio\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\studio.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\studio.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Run]
Filename: "{app}\studio.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
