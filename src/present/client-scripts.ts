/** The presenting controllers (src/render/client/present-*.js), in load order, after the renderer's own. */
export const PRESENT_CLIENT_SCRIPTS = ['present-extra.js', 'present-pacing.js', 'present-sync.js', 'present-search.js', 'present-speaker.js'] as const;
