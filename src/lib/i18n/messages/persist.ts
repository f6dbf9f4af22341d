/** Strings of durable saving: the save status, two tabs, an autosave kept aside, the online basemap. */
export const zh = {
  'persist.saving': '正在保存…',
  'persist.followed': '已同步另一个标签页的修改 {time}',
  'persist.conflict': '另一个标签页同时修改了本项目。两个版本都未丢失: 请选择保留哪一个。',
  'persist.conflictStored': '另一个标签页已保存了本标签页未见过的修改。两个版本都未丢失: 请选择保留哪一个。',
  'persist.keepMine': '保留本标签页的版本',
  'persist.takeTheirs': '采用另一个标签页的版本',
  'persist.takeTheirsReload': '重新打开以采用已保存的版本',
  'persist.downloadKept': '下载保留的数据',
  'persist.keptFileName': '无法恢复的自动保存',
  'map.onlineBasemapFailed': '在线底图无法加载 (可能未联网); 地图照常使用本地数据。',
  'wf.attrRange': '未保存: 应为 {min} 至 {max} 之间的数',
  'wf.attrRangeInt': '未保存: 应为 {min} 至 {max} 之间的整数',
};

export const en: Record<keyof typeof zh, string> = {
  'persist.saving': 'Saving…',
  'persist.followed': "Took over the other tab's changes at {time}",
  'persist.conflict': 'Another tab changed this project at the same time. Neither version is lost: choose which to keep.',
  'persist.conflictStored': 'Another tab saved changes this tab has not seen. Neither version is lost: choose which to keep.',
  'persist.keepMine': "Keep this tab's version",
  'persist.takeTheirs': "Take the other tab's version",
  'persist.takeTheirsReload': 'Reopen with the saved version',
  'persist.downloadKept': 'Download the kept data',
  'persist.keptFileName': 'unreadable-autosave',
  'map.onlineBasemapFailed': 'The online basemap cannot be loaded (no network?); the map keeps working with local data.',
  'wf.attrRange': 'Not saved: expected a number from {min} to {max}',
  'wf.attrRangeInt': 'Not saved: expected a whole number from {min} to {max}',
};
