// The admin UI's entry point (issue 9 builds it out).
const root = document.querySelector<HTMLDivElement>('#app');
if (root) root.textContent = 'Repo Pulse admin';
