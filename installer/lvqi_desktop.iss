; Inno Setup script: per-user installer of 吕企台账 (no administrator rights needed).
;
;   pyinstaller --noconfirm installer\lvqi_desktop.spec      (makes dist\lvqi_desktop\)
;   iscc installer\lvqi_desktop.iss                          (makes dist\lvqi_desktop-setup-<version>.exe)
;
; Optional: iscc /DAppVersion=0.2.0 /DDistDir=C:\path\to\lvqi_desktop installer\lvqi_desktop.iss
; Works with Inno Setup 6.3+ and 7.x. The Chinese wizard text comes from the vendored ChineseSimplified.isl
; (official only since Inno Setup 7.0.2); compiler:Default.isl is loaded first so a message missing from
; the vendored file shows in English instead of breaking the build.
;
; The program goes to %LOCALAPPDATA%\Programs\lvqi_desktop ({autopf} in a per-user install).
; The user's data (database, backups, logs) is in %LOCALAPPDATA%\lvqi_desktop — a different folder that
; this script never writes, never deletes and never lists: upgrades and uninstalls leave it as it is.

#define AppName "吕企台账"
#ifndef AppVersion
  ; The one version source is pyproject.toml's [project] version (read as an INI value, quotes removed).
  #define AppVersion StringChange(ReadIni(SourcePath + "\..\pyproject.toml", "project", "version", "0.0.0"), '"', '')
#endif
#ifndef DistDir
  #define DistDir "..\dist\lvqi_desktop"
#endif
#define AppExe "lvqi-desktop.exe"

[Setup]
; Fixed for ever: an upgrade finds the previous install by this id and installs over it in place.
AppId={{069A2A9B-3FD9-4981-8693-DAF0DAF07460}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=吕梁市中小企业服务中心
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
; Per-user install, no UAC prompt: {autopf} is %LOCALAPPDATA%\Programs, {autoprograms}/{autodesktop} the user's.
PrivilegesRequired=lowest
DefaultDirName={autopf}\lvqi_desktop
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
; Qt 6.x needs Windows 10 1809 (build 17763, also LTSC 2019) or later, 64-bit; older builds get the Chinese
; WinVersionTooLowError below instead of a program that fails at start.
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; A running 吕企台账 is closed (it saves as it goes) before files are replaced; not restarted afterwards.
CloseApplications=yes
; The program holds this named mutex while it runs (lvqi_desktop/ui/app_mutex.py): setup and uninstall ask to close it.
AppMutex=lvqi_desktop_running
RestartApplications=no
OutputDir=..\dist
OutputBaseFilename=lvqi_desktop-setup-{#AppVersion}
SetupIconFile=..\resources\icons\lvqi.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/ultra64
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no

[Languages]
Name: "chs"; MessagesFile: "compiler:Default.isl,ChineseSimplified.isl"

[Messages]
chs.WelcomeLabel2=现在将在您的电脑上安装 [name/ver]。%n%n本程序需要 Windows 10 1809 版（LTSC 2019）或更高版本（64 位），安装时不需要管理员权限。%n%n数据保存在本机用户目录的 AppData\Local\lvqi_desktop 文件夹，安装、升级和卸载都不会改动它。%n%n建议您在继续之前关闭吕企台账和其他应用程序。
chs.WinVersionTooLowError=本程序需要 Windows 10 1809 版（内部版本 17763，含 Windows 10 LTSC 2019）或更高版本，当前系统版本过低（要求 %1 %2 或更高）。请先通过 Windows 更新升级系统，或联系单位信息技术人员。

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the whole program folder's library part, so no file of an older version lingers.
; Only {app} is touched; the data folder is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "吕梁市中小企业培育台账与报表"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
// Where the data is: LVQI_DATA_DIR if the user set it, else %LOCALAPPDATA%\lvqi_desktop (lvqi_desktop/paths.py).
function DataDir(): String;
begin
  Result := GetEnv('LVQI_DATA_DIR');
  if Result = '' then
    Result := ExpandConstant('{localappdata}\lvqi_desktop');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(DataDir()) and not UninstallSilent() then
    MsgBox('吕企台账已卸载，但您的数据没有删除，仍保存在：' + #13#10#13#10 + DataDir() + #13#10#13#10 +
           '（包括数据库 lvqi.sqlite3、backups 备份文件夹和 logs 日志。）' + #13#10 +
           '重新安装后程序会继续使用这些数据。如确实不再需要，请先备份，再手动删除该文件夹。',
           mbInformation, MB_OK);
end;
