/** Electron IPC channel names, shared by the main-process server half and the preload (client half). */
export const IPC_INVOKE = 'ms:invoke';
export const IPC_EVENT = 'ms:event';
export const IPC_PICK_DIRECTORY = 'ms:pick-directory';
export const IPC_NOTIFY = 'ms:notify';
export const IPC_NOTIFICATION_CLICK = 'ms:notification-click';
