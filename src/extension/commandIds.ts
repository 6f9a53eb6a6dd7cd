/** Command ids, as contributed in package.json. */
export const COMMANDS = {
  connect: 'websocketDebugger.connect',
  openDebugger: 'websocketDebugger.openDebugger',
  disconnect: 'websocketDebugger.disconnect',
  saveEndpoint: 'websocketDebugger.saveEndpoint',
  importCollection: 'websocketDebugger.importCollection',
  exportCollection: 'websocketDebugger.exportCollection',
  renameEndpoint: 'websocketDebugger.renameEndpoint',
  deleteEndpoint: 'websocketDebugger.deleteEndpoint',
  runFlow: 'websocketDebugger.runFlow',
  startMockServer: 'websocketDebugger.startMockServer',
  stopMockServer: 'websocketDebugger.stopMockServer',
  copyMockUrl: 'websocketDebugger.copyMockUrl',
  openMockPanel: 'websocketDebugger.openMockPanel',
  showMockServers: 'websocketDebugger.showMockServers',
  exportHar: 'websocketDebugger.exportHar',
  importHar: 'websocketDebugger.importHar',
} as const;
