; Lotse: per-user installer (NSIS 3, Modern UI 2). No admin rights: installs into
; %LOCALAPPDATA%\Programs\Lotse. The caseworker's vault and settings (%LOCALAPPDATA%\Lotse,
; HKCU\Software\Lotse) are never touched unless the uninstaller is told to (checkbox or /REMOVEDATA).
;
; Built by installer/build-installers:
;   makensis -INPUTCHARSET UTF8 -WX -DVERSION=0.1.0 -DDIST_DIR=dist/Lotse
;            -DFILES_NSH=build/installers/files-uninstall.nsh -DNOTICES=…
;            -DOUT_FILE=dist/installers/Lotse-Setup-0.1.0.exe
; FILES_NSH lists every installed file and folder (generated from DIST_DIR): the uninstaller
; deletes exactly those and never removes $INSTDIR recursively, because a user may have picked a
; folder that also holds other files.
;
; Exit codes: 0 done, 1 cancelled, 2 aborted (error), 3 Lotse is still running (silent mode),
; 4 the chosen folder is inside Lotse's data folder.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "WordFunc.nsh"

!ifndef VERSION
  !error "VERSION fehlt: makensis -DVERSION=x.y.z (installer/build-installers liest pyproject.toml)"
!endif
!ifndef DIST_DIR
  !error "DIST_DIR fehlt: der PyInstaller-Ordner (dist/Lotse)"
!endif
!ifndef FILES_NSH
  !error "FILES_NSH fehlt: die Dateiliste fürs Entfernen (installer/build-installers erzeugt sie)"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "Lotse-Setup-${VERSION}.exe"
!endif
!ifndef VERSION4
  !define VERSION4 "${VERSION}.0"
!endif

; The uninstaller is written at compile time, inside the installer: it is signed then, when
; installer/build-installers passes SIGN_CMD (installer/sign, configured). NSIS >= 3.08.
!ifdef SIGN_CMD
  !uninstfinalize 'bash "${SIGN_CMD}" "%1"' = 0
!endif

!define APP "Lotse"
!define PUBLISHER "Lotse"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Lotse"
!define SETTINGS_KEY "Software\Lotse"
!define EXIT_RUNNING 3
!define EXIT_BAD_FOLDER 4

Name "${APP}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
; Upgrade in place: the folder of the installed version wins over the default.
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${APP} ${VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=1031 "ProductName" "${APP}"
VIAddVersionKey /LANG=1031 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1031 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1031 "FileDescription" "${APP} ${VERSION} Installation"
VIAddVersionKey /LANG=1031 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1031 "LegalCopyright" "${PUBLISHER}"

!ifdef ICON  ; resources/icons/lotse.ico, passed by installer/build-installers when present
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_UNABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\Lotse.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Lotse jetzt starten"

!ifdef NOTICES  ; third-party notices (installer/build-installers writes them from resources/)
  !define MUI_PAGE_HEADER_TEXT "Hinweise zu Werken Dritter"
  !define MUI_PAGE_HEADER_SUBTEXT "Lotse enthält Schriften, ein Farbprofil und eine Wortliste Dritter."
  !define MUI_LICENSEPAGE_TEXT_TOP "Lizenzen und Quellenangaben:"
  !define MUI_LICENSEPAGE_TEXT_BOTTOM "Diese Hinweise liegen auch im Programmordner (_internal\resources)."
  !define MUI_LICENSEPAGE_BUTTON "$(^NextBtn)"
  !insertmacro MUI_PAGE_LICENSE "${NOTICES}"
!endif
!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipDirectoryOnUpgrade
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE CheckChosenFolder
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_COMPONENTSPAGE_TEXT_TOP "Ihr Tresor und Ihre Einstellungen bleiben erhalten, solange Sie das Kästchen nicht ankreuzen. Gelöschte Tresore lassen sich nur aus einer Sicherung wiederherstellen."
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "German"

Var Upgrade          ; "1" when a Lotse is already installed in $INSTDIR

; --- Running Lotse -------------------------------------------------------------------------
; Windows keeps a running program's .exe open without write sharing: if Lotse.exe (or another
; program of ours in the folder) cannot be opened for appending, it is running. This only looks at
; this installation's files, so another user's Lotse on a terminal server does not count.
!macro WAIT_UNTIL_CLOSED UN
Function ${UN}WaitUntilClosed
  Push $0
  Push $1
  Push $2
  retry:
    FindFirst $1 $2 "$INSTDIR\*.exe"
    ${DoWhile} $2 != ""
      ${If} $2 != "Uninstall.exe"
        ClearErrors
        FileOpen $0 "$INSTDIR\$2" a
        ${If} ${Errors}
          FindClose $1
          MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION \
            "Lotse läuft noch ($2).$\r$\n$\r$\nBitte sperren Sie Lotse, schließen Sie alle Lotse-Fenster und klicken Sie dann auf »Wiederholen«." \
            /SD IDCANCEL IDRETRY retry
          SetErrorLevel ${EXIT_RUNNING}
          Quit
        ${EndIf}
        FileClose $0
      ${EndIf}
      FindNext $1 $2
    ${Loop}
    FindClose $1
  Pop $2
  Pop $1
  Pop $0
FunctionEnd
!macroend
!insertmacro WAIT_UNTIL_CLOSED ""
!insertmacro WAIT_UNTIL_CLOSED "un."

; --- Installer ----------------------------------------------------------------------------
Section "Lotse (Programm)" SecProgram
  SectionIn RO
  SetShellVarContext current
  ${If} $Upgrade == "1"
    ; The previous version removes exactly its own files (never the vault); `_?=` runs it in
    ; place and waits. Files the new version no longer ships do not linger.
    DetailPrint "Vorherige Version wird ersetzt …"
    ExecWait '"$INSTDIR\Uninstall.exe" /S /UPGRADE _?=$INSTDIR' $0
    ${If} $0 <> 0
      MessageBox MB_OK|MB_ICONSTOP "Die vorherige Version von Lotse konnte nicht entfernt werden (Code $0). Es wurde nichts verändert; bitte schließen Sie Lotse und versuchen Sie es erneut." /SD IDOK
      SetErrorLevel 2
      Quit
    ${EndIf}
  ${EndIf}

  SetOutPath "$INSTDIR"
  SetOverwrite on
  File /r "${DIST_DIR}\*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  CreateShortcut "$SMPROGRAMS\Lotse.lnk" "$INSTDIR\Lotse.exe" "" "$INSTDIR\Lotse.exe" 0

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\Lotse.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section /o "Verknüpfung auf dem Desktop" SecDesktop
  SetShellVarContext current
  CreateShortcut "$DESKTOP\Lotse.lnk" "$INSTDIR\Lotse.exe" "" "$INSTDIR\Lotse.exe" 0
SectionEnd

Function .onInit
  SetShellVarContext current
  StrCpy $Upgrade "0"
  ${If} ${FileExists} "$INSTDIR\Uninstall.exe"
    StrCpy $Upgrade "1"
  ${EndIf}
  ; An upgrade keeps the desktop shortcut the caseworker chose last time.
  ${If} ${FileExists} "$DESKTOP\Lotse.lnk"
    SectionSetFlags ${SecDesktop} ${SF_SELECTED}
  ${EndIf}
  Call RefuseDataFolder
  Call WaitUntilClosed
FunctionEnd

Function SkipDirectoryOnUpgrade
  ${If} $Upgrade == "1"
    Abort  ; skips the page: an upgrade replaces the files where they are
  ${EndIf}
FunctionEnd

Function CheckChosenFolder
  Call RefuseDataFolder
  ${If} ${FileExists} "$INSTDIR\Uninstall.exe"
    StrCpy $Upgrade "1"
  ${EndIf}
  Call WaitUntilClosed
FunctionEnd

; The program folder must not be, or lie inside, the data folder: the program's files and the
; vault stay apart. StrCmp compares case-insensitively, as Windows paths are.
Function RefuseDataFolder
  Push $0
  Push $1
  StrCpy $1 "$LOCALAPPDATA\Lotse\"
  StrLen $0 $1
  StrCpy $0 "$INSTDIR\" $0
  ${If} $0 == $1
    MessageBox MB_OK|MB_ICONSTOP "Lotse kann nicht in seinen Datenordner ($LOCALAPPDATA\Lotse) installiert werden. Bitte wählen Sie einen anderen Ordner." /SD IDOK
    SetErrorLevel ${EXIT_BAD_FOLDER}
    Quit
  ${EndIf}
  Pop $1
  Pop $0
FunctionEnd

; --- Uninstaller --------------------------------------------------------------------------
; Switches: /S silent; /REMOVEDATA also deletes the vault and settings; /UPGRADE (used by the
; installer of a newer version) removes the program files only and keeps the shortcuts' entry.
Section "un.Lotse (Programm)" UnSecProgram
  SectionIn RO
  SetShellVarContext current
  ; Generated from DIST_DIR: Delete for each file, RMDir (never /r) for each folder, deepest first.
  !include "${FILES_NSH}"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"

  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/UPGRADE" $1
  ${If} ${Errors}
    Delete "$SMPROGRAMS\Lotse.lnk"
    Delete "$DESKTOP\Lotse.lnk"
    DeleteRegKey HKCU "${UNINST_KEY}"
  ${EndIf}
SectionEnd

Section /o "un.Auch meinen Tresor und meine Einstellungen löschen" UnSecData
  SetShellVarContext current
  ${If} "$LOCALAPPDATA" != ""
    RMDir /r "$LOCALAPPDATA\Lotse"
  ${EndIf}
  DeleteRegKey HKCU "${SETTINGS_KEY}"
SectionEnd

Function un.onInit
  SetShellVarContext current
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/REMOVEDATA" $1
  ${IfNot} ${Errors}
    SectionSetFlags ${UnSecData} ${SF_SELECTED}
  ${EndIf}
  Call un.WaitUntilClosed
FunctionEnd
