// Loaded before Decap CMS: it waits for showcase-after.js to give it our texts, then starts.
window.CMS_MANUAL_INIT = true;
