import { CheckCircle2, XCircle } from 'lucide-react'
import type { ReactNode } from 'react'
import { useNavigate } from 'react-router'

import { useReadiness } from '../../api/queries.js'
import { Button } from '../../components/button.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { Loading } from '../../components/spinner.js'

const SKIP_KEY = 'autocoder-setup-skipped'

/** Whether the person chose to look at projects although setup is incomplete (this tab only). */
export function setupSkipped(): boolean {
  try {
    return sessionStorage.getItem(SKIP_KEY) === '1'
  } catch {
    return false
  }
}

function Requirement({
  ok,
  name,
  detail,
  fix,
}: {
  ok: boolean
  name: string
  detail: string
  fix: ReactNode
}) {
  return (
    <li className="flex gap-3 rounded-lg border border-border bg-surface p-4">
      {ok ? (
        <CheckCircle2 aria-label="found" className="mt-0.5 size-5 shrink-0 text-ok" />
      ) : (
        <XCircle aria-label="missing" className="mt-0.5 size-5 shrink-0 text-danger" />
      )}
      <div className="min-w-0">
        <p className="font-medium">{name}</p>
        <p className="text-sm text-muted">{detail}</p>
        {!ok && <div className="mt-2 text-sm">{fix}</div>}
      </div>
    </li>
  )
}

function Command({ children }: { children: string }) {
  return (
    <code className="rounded bg-surface-2 px-1.5 py-0.5 font-mono text-xs break-all">
      {children}
    </code>
  )
}

/** Shown when something a run needs is missing: what, and the command that fixes it. */
export function SetupScreen() {
  const { setup, credentials, credentialsInSettings, ready } = useReadiness()
  const navigate = useNavigate()
  const status = setup.data
  const skip = (): void => {
    try {
      sessionStorage.setItem(SKIP_KEY, '1')
    } catch {
      // Without storage the picker shows this screen again; the link still works once.
    }
    void navigate('/')
  }
  return (
    <div className="mx-auto w-full max-w-3xl overflow-auto p-6">
      <h1 className="text-2xl font-semibold">{ready === false ? 'Setup required' : 'Setup'}</h1>
      <p className="mt-1 text-sm text-muted">
        What a run needs on this machine. <Command>autocoder doctor</Command> runs the full check
        (Chromium, OS sandbox, write access).
      </p>
      {setup.isLoading && <Loading label="Checking this machine…" />}
      {setup.error && (
        <ErrorPanel className="mt-4" error={setup.error} retry={() => void setup.refetch()} />
      )}
      {status && (
        <ul className="mt-4 space-y-3">
          <Requirement
            ok={status.claudeCli.present}
            name="Claude Code binary"
            detail={
              status.claudeCli.present
                ? `found (${status.claudeCli.source === 'sdk' ? 'shipped with the Agent SDK' : 'on PATH'})`
                : 'not found'
            }
            fix={
              <>
                Reinstall the dependencies so the Agent SDK brings it: <Command>npm ci</Command>
              </>
            }
          />
          <Requirement
            ok={credentials}
            name="Model credentials"
            detail={
              credentials
                ? credentialsInSettings
                  ? 'set in the settings'
                  : `from ${status.credentials.sources.join(', ')}`
                : 'no API key, token, login or compatible endpoint'
            }
            fix={
              <ul className="list-disc space-y-1 pl-5">
                <li>
                  An Anthropic API key: <Command>export ANTHROPIC_API_KEY=sk-ant-...</Command>{' '}
                  before <Command>autocoder ui</Command>, or set it in a project's Settings.
                </li>
                <li>
                  A Claude Code login: run <Command>claude</Command> once and log in.
                </li>
                <li>
                  A compatible endpoint:{' '}
                  <Command>export ANTHROPIC_BASE_URL=http://localhost:11434</Command>
                </li>
                <li>
                  Or try the offline demo, which needs none: <Command>autocoder demo</Command>
                </li>
              </ul>
            }
          />
          <Requirement
            ok={status.git.present}
            name="git"
            detail={status.git.version ? `git ${status.git.version}` : 'not found'}
            fix={
              <>
                Install git 2.38 or newer: <Command>apt-get install git</Command>
              </>
            }
          />
          <Requirement
            ok={status.node.present}
            name="Node.js"
            detail={status.node.version ? `Node ${status.node.version}` : 'not found'}
            fix={<>Install Node 20.19 or newer.</>}
          />
        </ul>
      )}
      <div className="mt-6 flex gap-2">
        <Button variant="primary" onClick={() => void setup.refetch()}>
          Check again
        </Button>
        <Button onClick={skip}>{ready ? 'Go to projects' : 'Continue to projects anyway'}</Button>
      </div>
    </div>
  )
}
