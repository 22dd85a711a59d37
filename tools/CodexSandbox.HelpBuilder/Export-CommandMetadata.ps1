<#
.SYNOPSIS
    Writes the parameter metadata of a module's compiled cmdlets as JSON for
    `CodexSandbox.HelpBuilder --check-parameters`.
.DESCRIPTION
    Run it in a child pwsh (so the module's DLL is not locked by the build session):
        dotnet pwsh -NoProfile -NonInteractive -File tools/CodexSandbox.HelpBuilder/Export-CommandMetadata.ps1 `
            -ModulePath out/CodexSandbox/0.1.0/CodexSandbox.psd1 -OutFile artifacts/help/commands.json
    Common parameters (-Verbose, -ErrorAction, ...) are left out; -WhatIf and -Confirm stay, because
    platyPS pages document them as ordinary parameters.
#>
[CmdletBinding()]
param(
    # The module manifest, module DLL or module folder to import.
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # Where to write the JSON array.
    [Parameter(Mandatory)]
    [string] $OutFile
)

$ErrorActionPreference = 'Stop'
$module = Import-Module -Name $ModulePath -PassThru -Force | Select-Object -First 1
$common = [System.Management.Automation.PSCmdlet]::CommonParameters

function Get-AcceptedValue([System.Management.Automation.ParameterMetadata] $Parameter) {
    $validateSet = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
    if ($validateSet) { return @($validateSet.ValidValues) }
    $type = $Parameter.ParameterType
    if ($type.IsArray) { $type = $type.GetElementType() }
    $underlying = [Nullable]::GetUnderlyingType($type)
    if ($underlying) { $type = $underlying }
    if ($type.IsEnum) { return @([Enum]::GetNames($type)) }
    return @()
}

# The exported cmdlets, and the cmdlets behind a front-door function of the same name (Invoke-SandboxedCommand: the
# module exports a function that calls the cmdlet, which it does not export); their help page documents the cmdlet.
$cmdlets = @(Get-Command -Module $module.Name -CommandType Cmdlet)
$frontDoors = @(Get-Command -Module $module.Name -CommandType Function).Name
if ($frontDoors.Count -gt 0 -and $module.ImplementingAssembly) {
    foreach ($type in $module.ImplementingAssembly.GetExportedTypes()) {
        $attribute = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) | Select-Object -First 1
        if (-not $attribute) { continue }
        $name = "$($attribute.VerbName)-$($attribute.NounName)"
        if ($frontDoors -contains $name) { $cmdlets += [System.Management.Automation.CmdletInfo]::new($name, $type) }
    }
}

$commands = foreach ($command in $cmdlets | Sort-Object Name) {
    $parameters = foreach ($parameter in $command.Parameters.Values) {
        if ($common -contains $parameter.Name -or $parameter.IsDynamic) { continue }
        $sets = foreach ($entry in $parameter.ParameterSets.GetEnumerator()) {
            [ordered]@{
                Name                            = $entry.Key
                # Named-only parameters report Int32.MinValue; the builder reads any negative as "Named".
                Position                        = if ($entry.Value.Position -lt 0) { -1 } else { $entry.Value.Position }
                Mandatory                       = $entry.Value.IsMandatory
                ValueFromPipeline               = $entry.Value.ValueFromPipeline
                ValueFromPipelineByPropertyName = $entry.Value.ValueFromPipelineByPropertyName
            }
        }
        [ordered]@{
            Name           = $parameter.Name
            Type           = $parameter.ParameterType.FullName
            Sets           = @($sets)
            AcceptedValues = @(Get-AcceptedValue $parameter)
        }
    }
    [ordered]@{
        Name                = $command.Name
        DefaultParameterSet = $command.DefaultParameterSet
        Parameters          = @($parameters)
    }
}

$directory = Split-Path -Parent ([System.IO.Path]::GetFullPath($OutFile))
if (-not (Test-Path -LiteralPath $directory)) { $null = New-Item -ItemType Directory -Path $directory }
ConvertTo-Json -InputObject @($commands) -Depth 6 | Set-Content -LiteralPath $OutFile -Encoding utf8NoBOM
