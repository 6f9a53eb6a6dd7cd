// The panel's tests (panelController.test.ts) once more with plain WebSocket sessions in a
// session worker: the panel must behave the same whichever thread its socket runs on.
process.env.WSD_TEST_SESSIONS_IN_WORKER = '1';
require('./panelController.test');
