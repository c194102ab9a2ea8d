/**
 * The page at `/` when no built UI is present: says so and links the API description. No
 * request data goes into it.
 */
export function statusPage(routeCount: number): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>autocoder</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#eee;padding:0 .25rem}</style>
</head>
<body>
<h1>autocoder server is running</h1>
<p>The web UI has not been built (no <code>ui/dist</code>), so this page stands in for it.</p>
<p>The API (${routeCount} routes and sockets) is described in <a href="/api/openapi.json">/api/openapi.json</a>;
check the server with <a href="/api/health">/api/health</a>.</p>
</body>
</html>
`
}
