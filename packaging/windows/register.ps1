<#
.SYNOPSIS
  Register the unzipped claimcoder folder for the current user: a Start menu entry, the .ccdb
  file type (double-click opens the project), and optionally the `claimcoder` command on PATH.

.DESCRIPTION
  No administrator rights are needed: everything goes under HKEY_CURRENT_USER and the user's own
  Start menu. Run it from the claimcoder folder, after moving that folder where it will stay
  (for example %LOCALAPPDATA%\Programs\claimcoder):

      powershell -ExecutionPolicy Bypass -File .\register.ps1
      powershell -ExecutionPolicy Bypass -File .\register.ps1 -AddToPath
      powershell -ExecutionPolicy Bypass -File .\register.ps1 -Unregister

  An installer (Inno Setup, WiX) would write the same keys; this script is for the zip download.
#>
param(
    [switch]$AddToPath,
    [switch]$Unregister
)
$ErrorActionPreference = 'Stop'

$Folder = $PSScriptRoot
$Gui = Join-Path $Folder 'claimcoder-gui.exe'
$ProgId = 'claimcoder.project'
$Classes = 'HKCU:\Software\Classes'
$Shortcut = Join-Path ([Environment]::GetFolderPath('Programs')) 'claimcoder.lnk'

function Send-AssociationChanged {
    # SHCNE_ASSOCCHANGED: Explorer refreshes icons and the "Open with" choice at once.
    $signature = '[DllImport("shell32.dll")] public static extern void SHChangeNotify(int eventId, int flags, IntPtr item1, IntPtr item2);'
    $shell = Add-Type -MemberDefinition $signature -Name 'Shell32Notify' -Namespace 'Claimcoder' -PassThru
    $shell::SHChangeNotify(0x08000000, 0, [IntPtr]::Zero, [IntPtr]::Zero)
}

function Set-UserPath([string]$Add, [string]$Remove) {
    $current = [Environment]::GetEnvironmentVariable('Path', 'User')
    $parts = @($current -split ';' | Where-Object { $_ -and $_ -ne $Remove -and $_ -ne $Add })
    if ($Add) { $parts += $Add }
    [Environment]::SetEnvironmentVariable('Path', ($parts -join ';'), 'User')
}

if ($Unregister) {
    Remove-Item -Path "$Classes\$ProgId" -Recurse -ErrorAction SilentlyContinue
    $ext = Get-Item -Path "$Classes\.ccdb" -ErrorAction SilentlyContinue
    if ($ext -and $ext.GetValue('') -eq $ProgId) { Remove-Item -Path "$Classes\.ccdb" -Recurse }
    Remove-Item -Path $Shortcut -ErrorAction SilentlyContinue
    Set-UserPath -Add $null -Remove $Folder
    Send-AssociationChanged
    Write-Host 'claimcoder is unregistered (the folder itself is left alone; delete it to remove the program).'
    exit 0
}

if (-not (Test-Path $Gui)) {
    Write-Error "claimcoder-gui.exe is not next to this script ($Folder): run it from the unzipped claimcoder folder."
}

function Set-KeyDefault([string]$Path, $Value) {
    # Create the key and any missing parents, keeping what is already there (other programs'
    # "Open with" entries under .ccdb), then set its (default) value.
    $parent = Split-Path -Path $Path -Parent
    if (-not (Test-Path $parent)) { Set-KeyDefault -Path $parent -Value $null }
    if (-not (Test-Path $Path)) { New-Item -Path $Path | Out-Null }
    if ($null -ne $Value) { Set-Item -Path $Path -Value $Value }
}

# The file type: .ccdb -> claimcoder.project -> claimcoder-gui.exe "<file>".
# A lone .ccdb argument opens that project in the window (packaging/entry.py).
Set-KeyDefault -Path "$Classes\.ccdb" -Value $ProgId
Set-KeyDefault -Path "$Classes\.ccdb\OpenWithProgids" -Value $null
New-ItemProperty -Path "$Classes\.ccdb\OpenWithProgids" -Name $ProgId -Value '' -PropertyType String -Force | Out-Null
Set-KeyDefault -Path "$Classes\$ProgId" -Value 'claimcoder project'
Set-KeyDefault -Path "$Classes\$ProgId\DefaultIcon" -Value "`"$Gui`",0"
Set-KeyDefault -Path "$Classes\$ProgId\shell\open\command" -Value "`"$Gui`" `"%1`""

# The Start menu entry.
$shell = New-Object -ComObject WScript.Shell
$link = $shell.CreateShortcut($Shortcut)
$link.TargetPath = $Gui
$link.WorkingDirectory = $Folder
$link.IconLocation = "$Gui,0"
$link.Description = 'Code statements in news articles and measure inter-coder agreement'
$link.Save()

if ($AddToPath) {
    Set-UserPath -Add $Folder -Remove $null
    Write-Host "Added $Folder to your PATH: open a new terminal to use the claimcoder command."
}

Send-AssociationChanged
Write-Host "claimcoder is registered: Start menu entry, and .ccdb files open with $Gui"
