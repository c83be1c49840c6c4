// The analysts' UI entry point (issue 10 builds it out).
const root = document.querySelector<HTMLDivElement>('#app');
if (root) root.textContent = 'Repo Pulse';
