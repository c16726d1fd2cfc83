/**
 * A flow run's page in the Prefect UI: Prefect Cloud's app for a Cloud workspace URL, else the
 * self-hosted server's UI, which is the API root without /api. A workspace URL is known by its
 * path, /api/accounts/<id>/workspaces/<id>, which only Cloud serves: whatever host carries it
 * (api.prefect.cloud, or a proxy in front of it), the runs are shown by app.prefect.cloud.
 */
export function runLink(apiUrl: string, runId: string): string {
  const id = encodeURIComponent(runId)
  const url = new URL(apiUrl)
  const cloud = /^\/api\/accounts\/([^/]+)\/workspaces\/([^/]+)$/.exec(url.pathname)
  if (cloud) return `https://app.prefect.cloud/account/${cloud[1]}/workspace/${cloud[2]}/runs/flow-run/${id}`
  return `${url.origin}${url.pathname.replace(/\/api$/, '')}/runs/flow-run/${id}`
}
