// A project URL, `/projects/<name>[/<view>...]`: read by the app (preloadRoute) and by the inline
// script the build puts in index.html (ui/route-preloads.ts), so both pick the same screen.
// No imports: the build's plugin loads this file too.

/** Group 1 is the view, absent on the project's own URL. */
export const PROJECT_ROUTE = /^\/projects\/[^/]+(?:\/([^/]+))?/

/** The view a project URL without one opens. */
export const DEFAULT_VIEW = 'board'
