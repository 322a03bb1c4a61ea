// Chinese by default, English on request; the choice is remembered in this browser.
const text = {
  zh: {
    'app.title': '应急指挥视像会议系统', 'lang.switch': 'English', logout: '退出',
    'login.user': '用户名', 'login.password': '密码', 'login.submit': '登录',
    'login.code': '动态口令', 'login.codeNeeded': '请输入动态口令（身份验证器中的6位数字）',
    'users.title': '用户管理', 'users.back': '返回调度台', 'users.name': '用户名', 'users.role': '角色', 'users.region': '区划代码',
    'users.password': '初始密码', 'users.create': '创建用户', 'users.state': '状态', 'users.source': '来源', 'users.actions': '操作',
    'users.enabled': '正常', 'users.disabled': '已停用', 'users.config': '配置文件', 'users.store': '系统', 'users.totp': '动态口令',
    'users.save': '保存角色与区划', 'users.reset': '重置密码', 'users.newPassword': '新密码', 'users.disable': '停用', 'users.enable': '启用',
    'users.enrol': '设置动态口令', 'users.unenrol': '取消动态口令', 'users.secretOnce': '请立即录入身份验证器，此密钥只显示一次：',
    'users.policy': '密码至少10位，含小写、大写、数字、符号中的至少三类，且不能与用户名相同', 'users.done': '已完成',
    'conn.connecting': '连接中', 'conn.live': '实时', 'conn.reconnecting': '重连中', 'conn.offline': '已断开',
    'venues.title': '会场', 'sessions.title': '会议与指挥', 'incidents.title': '突发事件', 'schedule.title': '会议预约',
    'sessions.newTitle': '会议名称', 'sessions.create': '召集', 'sessions.none': '当前没有会议',
    'kind.emergency': '应急指挥', 'kind.meeting': '视频会议', 'kind.relay': '转播',
    'state.scheduled': '待开始', 'state.live': '进行中', 'state.ended': '已结束',
    'status.offline': '离线', 'status.online': '在线', 'status.in-session': '会议中',
    'p.invited': '已邀请', 'p.joined': '已入会', 'p.busy': '占用', 'p.preempted': '被征用', 'p.replaced': '已替换', 'p.left': '已离会',
    chair: '主席', broadcast: '广播', speaker: '发言', view: '选看', rollcall: '点名', mute: '静音', muted: '已静音', unmute: '取消静音',
    muteAll: '全场静音', unmuteAll: '全场取消静音', poll: '轮询', stopPoll: '停止轮询', lock: '锁定', unlock: '解锁',
    backup: '备用替换', start: '开始', end: '结束', locked: '已锁定', polling: '轮询中', seconds: '秒', viewing: '观看',
    checkIn: '签到', checkedIn: '已签到', notCheckedIn: '未签到',
    'incidents.none': '没有突发事件', severity: '级别', escalate: '升级', level: '指挥层级', timeline: '时间线',
    'level.province': '省', 'level.city': '市', 'level.district': '区', 'level.township': '镇街',
    'is.reported': '已报告', 'is.responding': '处置中', 'is.closed': '已关闭',
    'schedule.none': '没有预约', next: '下次',
    'leg.calling': '呼叫中', 'leg.connected': '已接通', 'leg.failed': '呼叫失败', 'leg.dropped': '已掉线', 'leg.ended': '已挂断', 'leg.waiting': '等待接入',
    'media.in': '收包', 'media.out': '发包', 'media.lost': '丢包',
    'role.admin': '系统管理员', 'role.chair-operator': '主会场操作员', 'role.emergency-officer': '应急值班员',
    'role.meeting-operator': '会务操作员', 'role.viewer': '查看人员',
    'venue.title': '会场终端', 'venue.pick': '会场', 'venue.session': '会议', 'venue.join': '入会', 'venue.leave': '退出会议',
    'venue.media': '媒体', 'venue.idle': '未入会', 'venue.connecting': '连接中', 'venue.connected': '已接通', 'venue.reconnecting': '重连中',
    'venue.watching': '正在观看', 'venue.floor': '会场状态', 'venue.self': '本会场画面', 'venue.sessionTitle': '会议名称',
    'venue.mine': '本会场麦克风', 'venue.open': '已开启',
    'venue.moved': '媒体已切换到另一台媒体桥，正在重新入会',
    autoBackup: '自动备用', autoBackupOn: '开启自动备用', autoBackupOff: '关闭自动备用', off: '关',
    autoReplacedBy: '已自动替换为', replacedBy: '已替换为', returned: '已恢复，备用会场保留待主席决定',
    readd: '重新加入', removeVenue: '移出', cancel: '取消',
    feed: '监控', feeds: '监控图像', detachFeed: '移除图像', 'feed.offline': '离线', 'feed.connecting': '连接中', 'feed.online': '在线',
    'wall.title': '画面监看', 'wall.layout': '分屏', 'wall.session': '广播到会议', 'wall.noSession': '（没有进行中的会议）',
    'wall.noFeeds': '没有可查看的监控', 'wall.drop': '将监控或会场拖到这里', 'wall.venue': '会场', 'wall.clear': '清除',
    'wall.listen': '监听', 'wall.unlisten': '停止监听', 'wall.onAir': '广播中', 'wall.retryIn': '{n}秒后重试',
    'wall.state.idle': '空闲', 'wall.state.connecting': '连接中', 'wall.state.playing': '播放中', 'wall.state.retrying': '重连中', 'wall.state.error': '无法播放',
    'wall.err.notFound': '信号源不存在或已不在会议中', 'wall.err.notLive': '信号源当前没有画面（未上线或会议未进行）',
    'wall.err.unavailable': '媒体桥暂时不可用', 'wall.err.forbidden': '无权查看此信号源', 'wall.err.signedOut': '登录已失效，请重新登录',
    'wall.err.network': '网络中断', 'wall.err.failed': '连接失败', 'wall.err.noSession': '该会场不在进行中的会议里',
    'wall.err.pickSession': '请先选择要广播的会议',
    close: '关闭事件', 'close.running': '仍在进行的会议', 'close.choice': '这些会议', 'close.end': '全部结束',
    'close.keep': '保留继续', 'close.reasonLabel': '保留原因', 'close.reason': '保留时必填', 'close.reasonNeeded': '保留会议需要填写原因',
    'legend.title': '状态说明', 'legend.online': '终端已注册，可随时入会', 'legend.in-session': '已接通，正在会议中',
    'legend.calling': '正在呼叫或等待媒体接入', 'legend.failed': '呼叫未接通或已掉线，正在重试', 'legend.offline': '终端未注册，无法呼叫',
    'convene.title': '召集会议', 'convene.kind': '类型', 'picker.title': '参会会场（勾选区域即选中其下全部会场）', 'picker.backup': '备用',
    'sev.1': '特别重大', 'sev.2': '重大', 'sev.3': '较大', 'sev.4': '一般',
    'itype.flood': '洪涝', 'itype.typhoon': '台风', 'itype.landslide': '地质灾害', 'itype.fire': '火灾', 'itype.earthquake': '地震',
    'itype.hazmat': '危险化学品', 'itype.traffic': '交通事故', 'itype.health': '公共卫生', 'itype.security': '社会安全', 'itype.other': '其他',
    'incident.new': '上报事件并召集', 'incident.description': '事件描述', 'incident.descriptionHint': '如：杨和镇山体滑坡，2人被困', 'incident.details': '详细情况', 'incident.detailsHint': '伤亡、道路、危险源等（可选）',
    'incident.type': '事件类型', 'incident.region': '发生区域', 'incident.chair': '指挥主席会场', 'incident.submit': '上报并召集',
    'incident.above': '上级指挥中心（由系统确定）', 'incident.autoChair': '指挥层级会场（自动）', 'incident.convened': '已上报并召集',
    'incident.reported': '上报时间', 'incident.sessions': '关联会议', 'incident.noSessions': '尚无关联会议', 'incident.noFeeds': '尚无监控图像',
    'escalate.reason': '升级原因', 'escalate.reasonHint': '如：险情扩大，需市级统一指挥', 'escalate.reasonNeeded': '升级需要填写原因',
    'ta.reported': '上报', 'ta.escalated': '升级', 'ta.escalation-refused': '升级未获准', 'ta.session-linked': '关联会议',
    'ta.feed-attached': '接入图像', 'ta.feed-detached': '移除图像', 'ta.incident-closed': '关闭事件', 'ta.session-kept': '保留会议',
    'ta.session-ended': '结束会议', 'ta.session-settled': '会议已处理', 'ta.created': '创建会议', 'ta.started': '会议开始', 'ta.ended': '会议结束',
    'ta.check-in-opened': '开放签到', 'ta.checked-in': '签到', 'ta.broadcast': '广播', 'ta.view': '选看', 'ta.rollcall': '点名',
    'ta.poll': '轮询', 'ta.poll-stopped': '停止轮询', 'ta.backup': '备用替换', 'ta.auto-backup': '自动备用', 'ta.preempted': '被征用',
    'ta.venue-back': '会场恢复', 'ta.venue-removed': '移出会场',
    'booking.new': '预约会议', 'booking.start': '开始时间', 'booking.duration': '时长（分钟）', 'booking.recurrence': '重复',
    'booking.occurrences': '次数', 'booking.lead': '提前签到（分钟）', 'booking.save': '保存预约', 'booking.saved': '已预约',
    'booking.startNeeded': '请填写开始时间', 'booking.minutes': '分钟', 'rec.none': '不重复', 'rec.daily': '每天', 'rec.weekly': '每周',
    'conflict.booked': '已被预约', 'conflict.live': '正在会议', 'conflict.noEnd': '未定结束', 'conflict.none': '所选会场在该时段均空闲',
    'conflict.blocking': '以下会场在该时段已被预约，请调整时间或会场后再保存：', 'conflict.warning': '以下会场目前正在会议中，请确认：',
    'checkIn.board': '签到情况', 'checkIn.open': '签到进行中', 'checkIn.opensAt': '签到开放于',
    'ta.mute': '静音', 'ta.unmute': '取消静音', 'ta.locked': '锁定', 'ta.unlocked': '解锁', 'ta.responding': '开始处置', 'ta.closed': '关闭',
    'picker.chosen': '已选会场', 'booking.when': '会议时间', 'ta.leg-calling': '呼叫', 'ta.leg-connected': '接通', 'ta.leg-failed': '呼叫失败', 'ta.leg-dropped': '掉线', 'ta.leg-ended': '挂断',
    'pub.title': '网上直播', 'pub.live': '正在直播', 'pub.archive': '往期回看', 'pub.noLive': '当前没有直播', 'pub.noArchive': '没有可回看的节目',
    'pub.search': '按标题或日期搜索', 'pub.since': '开始于', 'pub.playError': '无法播放，请稍后再试', 'pub.unsupported': '此浏览器无法播放直播', 'pub.chapters': '章节',
    'recording.title': '录像', 'recording.none': '暂无录像', 'recording.recording': '录制中', 'recording.paused': '已暂停', 'recording.ended': '已结束', 'recording.lowDisk': '磁盘空间不足，录像已暂停',
    'recording.replay': '回放', 'recording.close': '关闭', 'recording.playError': '无法播放，请稍后再试', 'recording.unsupported': '此浏览器无法播放录像',
    'pubgate.requested': '待审批公开', 'pubgate.approve': '批准公开', 'pubgate.refuse': '不予公开', 'pubgate.approved': '已公开', 'pubgate.withdraw': '撤销公开', 'pubgate.refused': '不予公开',
    'cascade.title': '级联上联', 'cascade.none': '没有上联', 'cascade.add': '添加上联', 'cascade.name': '名称', 'cascade.nameHint': '如：广东省平台',
    'cascade.registrar': '上级注册地址', 'cascade.username': '注册用户名', 'cascade.password': '注册密码', 'cascade.relayChair': '转播主席会场',
    'cascade.relayVenues': '转播会议的会场', 'cascade.noRelay': '（不指定）', 'cascade.save': '添加', 'cascade.delete': '删除', 'cascade.configured': '配置文件定义',
    'cascade.readonly': '仅管理员可添加或删除上联', 'cascade.reason': '原因', 'cascade.relay': '转播会议',
    'uplink.offline': '离线', 'uplink.registered': '已注册', 'uplink.in-call': '级联通话中',
    'cascade.upper': '上级会场', 'cascade.linkUp': '链路已接通', 'cascade.linkDown': '链路未接通', 'cascade.sendingUp': '上传',
    'cascade.ownBroadcast': '本级广播画面', 'cascade.broadcastUpper': '广播上级会场', 'cascade.viewUpper': '选看上级',
    'cascade.remote': '下级会场', 'cascade.theirOwn': '对方广播画面', 'cascade.rollcallUp': '点名上传', 'cascade.theirBroadcast': '恢复对方广播', 'cascade.sending': '正在上传',
  },
  en: {
    'app.title': 'Emergency Command Video Conference', 'lang.switch': '中文', logout: 'Sign out',
    'login.user': 'User name', 'login.password': 'Password', 'login.submit': 'Sign in',
    'login.code': 'One-time code', 'login.codeNeeded': 'Enter the one-time code (6 digits from your authenticator)',
    'users.title': 'Users', 'users.back': 'Back to the dashboard', 'users.name': 'User name', 'users.role': 'Role', 'users.region': 'Region code',
    'users.password': 'Initial password', 'users.create': 'Create user', 'users.state': 'State', 'users.source': 'Source', 'users.actions': 'Actions',
    'users.enabled': 'Active', 'users.disabled': 'Disabled', 'users.config': 'Configuration', 'users.store': 'Managed', 'users.totp': 'One-time code',
    'users.save': 'Save role and region', 'users.reset': 'Reset password', 'users.newPassword': 'New password', 'users.disable': 'Disable', 'users.enable': 'Enable',
    'users.enrol': 'Set up one-time code', 'users.unenrol': 'Remove one-time code', 'users.secretOnce': 'Add this to the authenticator now; it is shown only once:',
    'users.policy': 'At least 10 characters with three of lower case, upper case, digits and symbols, and not the user name', 'users.done': 'Done',
    'conn.connecting': 'Connecting', 'conn.live': 'Live', 'conn.reconnecting': 'Reconnecting', 'conn.offline': 'Disconnected',
    'venues.title': 'Venues', 'sessions.title': 'Sessions', 'incidents.title': 'Incidents', 'schedule.title': 'Schedule',
    'sessions.newTitle': 'Title', 'sessions.create': 'Convene', 'sessions.none': 'No sessions now',
    'kind.emergency': 'Emergency', 'kind.meeting': 'Meeting', 'kind.relay': 'Relay',
    'state.scheduled': 'Scheduled', 'state.live': 'Live', 'state.ended': 'Ended',
    'status.offline': 'Offline', 'status.online': 'Online', 'status.in-session': 'In session',
    'p.invited': 'Invited', 'p.joined': 'Joined', 'p.busy': 'Busy', 'p.preempted': 'Preempted', 'p.replaced': 'Replaced', 'p.left': 'Left',
    chair: 'Chair', broadcast: 'Broadcast', speaker: 'Speaker', view: 'View', rollcall: 'Roll call', mute: 'Mute', muted: 'Muted', unmute: 'Unmute',
    muteAll: 'Mute all', unmuteAll: 'Unmute all', poll: 'Poll', stopPoll: 'Stop polling', lock: 'Lock', unlock: 'Unlock',
    backup: 'Swap to backup', start: 'Start', end: 'End', locked: 'Locked', polling: 'Polling', seconds: 's', viewing: 'Viewing',
    checkIn: 'Check in', checkedIn: 'Checked in', notCheckedIn: 'Not checked in',
    'incidents.none': 'No incidents', severity: 'Severity', escalate: 'Escalate', level: 'Command level', timeline: 'Timeline',
    'level.province': 'Province', 'level.city': 'City', 'level.district': 'District', 'level.township': 'Township',
    'is.reported': 'Reported', 'is.responding': 'Responding', 'is.closed': 'Closed',
    'schedule.none': 'No bookings', next: 'Next',
    'leg.calling': 'Calling', 'leg.connected': 'Connected', 'leg.failed': 'Call failed', 'leg.dropped': 'Dropped', 'leg.ended': 'Hung up', 'leg.waiting': 'Waiting for media',
    'media.in': 'Packets in', 'media.out': 'Packets out', 'media.lost': 'Lost',
    autoBackup: 'Auto backup', autoBackupOn: 'Turn auto backup on', autoBackupOff: 'Turn auto backup off', off: 'off',
    autoReplacedBy: 'Automatically replaced by', replacedBy: 'Replaced by', returned: 'Back; the backup stays until the chair decides',
    readd: 'Re-add', removeVenue: 'Remove', cancel: 'Cancel',
    feed: 'Camera', feeds: 'Camera feeds', detachFeed: 'Detach', 'feed.offline': 'Offline', 'feed.connecting': 'Connecting', 'feed.online': 'Online',
    'wall.title': 'Monitoring wall', 'wall.layout': 'Layout', 'wall.session': 'Broadcast in', 'wall.noSession': '(no live session)',
    'wall.noFeeds': 'No camera feeds to watch', 'wall.drop': 'Drop a camera or a venue here', 'wall.venue': 'Venue', 'wall.clear': 'Clear',
    'wall.listen': 'Listen', 'wall.unlisten': 'Stop listening', 'wall.onAir': 'On air', 'wall.retryIn': 'retrying in {n} s',
    'wall.state.idle': 'Idle', 'wall.state.connecting': 'Connecting', 'wall.state.playing': 'Playing', 'wall.state.retrying': 'Reconnecting', 'wall.state.error': 'Not playing',
    'wall.err.notFound': 'The source does not exist or is no longer in the session', 'wall.err.notLive': 'The source has no picture now (offline, or the session is not running)',
    'wall.err.unavailable': 'The media bridge is unavailable for now', 'wall.err.forbidden': 'You may not watch this source', 'wall.err.signedOut': 'Signed out; please sign in again',
    'wall.err.network': 'Network lost', 'wall.err.failed': 'Connection failed', 'wall.err.noSession': 'This venue is in no live session',
    'wall.err.pickSession': 'Choose the session to broadcast in first',
    close: 'Close incident', 'close.running': 'Sessions still running', 'close.choice': 'These sessions', 'close.end': 'End them all',
    'close.keep': 'Keep them running', 'close.reasonLabel': 'Reason to keep', 'close.reason': 'Required to keep', 'close.reasonNeeded': 'Keeping the sessions needs a reason',
    'role.admin': 'Administrator', 'role.chair-operator': 'Chair operator', 'role.emergency-officer': 'Emergency officer',
    'role.meeting-operator': 'Meeting operator', 'role.viewer': 'Viewer',
    'venue.title': 'Venue client', 'venue.pick': 'Venue', 'venue.session': 'Session', 'venue.join': 'Join', 'venue.leave': 'Leave',
    'venue.media': 'Media', 'venue.idle': 'Not joined', 'venue.connecting': 'Connecting', 'venue.connected': 'Connected', 'venue.reconnecting': 'Reconnecting',
    'venue.watching': 'Watching', 'venue.floor': 'Floor', 'venue.self': 'This venue', 'venue.sessionTitle': 'Session',
    'venue.mine': 'Our microphone', 'venue.open': 'Open',
    'venue.moved': 'Media moved to another bridge; rejoining',
    'legend.title': 'What the colours mean', 'legend.online': 'Terminal registered, ready to join', 'legend.in-session': 'Connected and in a session',
    'legend.calling': 'Being called, or waiting for media', 'legend.failed': 'Call not answered or dropped; trying again', 'legend.offline': 'Terminal not registered; cannot be called',
    'convene.title': 'Convene a session', 'convene.kind': 'Kind', 'picker.title': 'Venues (ticking a region ticks every venue in it)', 'picker.backup': 'backup',
    'sev.1': 'Extremely serious', 'sev.2': 'Serious', 'sev.3': 'Major', 'sev.4': 'Ordinary',
    'itype.flood': 'Flood', 'itype.typhoon': 'Typhoon', 'itype.landslide': 'Landslide', 'itype.fire': 'Fire', 'itype.earthquake': 'Earthquake',
    'itype.hazmat': 'Hazardous chemicals', 'itype.traffic': 'Traffic accident', 'itype.health': 'Public health', 'itype.security': 'Public security', 'itype.other': 'Other',
    'incident.new': 'Report an incident and convene', 'incident.description': 'Description', 'incident.descriptionHint': 'e.g. landslide in Yanghe, 2 people trapped', 'incident.details': 'Details', 'incident.detailsHint': 'Casualties, roads, hazards… (optional)',
    'incident.type': 'Type', 'incident.region': 'Where', 'incident.chair': 'Chair venue', 'incident.submit': 'Report and convene',
    'incident.above': 'the command centre above (set by the system)', 'incident.autoChair': 'Commanding level venue (automatic)', 'incident.convened': 'Reported and convened',
    'incident.reported': 'Reported at', 'incident.sessions': 'Linked sessions', 'incident.noSessions': 'No linked sessions yet', 'incident.noFeeds': 'No camera feeds yet',
    'escalate.reason': 'Reason', 'escalate.reasonHint': 'e.g. the situation is spreading; the city takes command', 'escalate.reasonNeeded': 'Escalating needs a reason',
    'ta.reported': 'Reported', 'ta.escalated': 'Escalated', 'ta.escalation-refused': 'Escalation refused', 'ta.session-linked': 'Session linked',
    'ta.feed-attached': 'Feed attached', 'ta.feed-detached': 'Feed detached', 'ta.incident-closed': 'Incident closed', 'ta.session-kept': 'Session kept',
    'ta.session-ended': 'Session ended', 'ta.session-settled': 'Session settled', 'ta.created': 'Session created', 'ta.started': 'Session started', 'ta.ended': 'Session ended',
    'ta.check-in-opened': 'Check-in opened', 'ta.checked-in': 'Checked in', 'ta.broadcast': 'Broadcast', 'ta.view': 'View', 'ta.rollcall': 'Roll call',
    'ta.poll': 'Polling', 'ta.poll-stopped': 'Polling stopped', 'ta.backup': 'Swapped to backup', 'ta.auto-backup': 'Automatic backup', 'ta.preempted': 'Preempted',
    'ta.venue-back': 'Venue back', 'ta.venue-removed': 'Venue removed',
    'booking.new': 'Book a meeting', 'booking.start': 'Start', 'booking.duration': 'Duration (minutes)', 'booking.recurrence': 'Repeat',
    'booking.occurrences': 'Occurrences', 'booking.lead': 'Check-in opens (minutes before)', 'booking.save': 'Save booking', 'booking.saved': 'Booked',
    'booking.startNeeded': 'Enter a start time', 'booking.minutes': ' min', 'rec.none': 'Once', 'rec.daily': 'Daily', 'rec.weekly': 'Weekly',
    'conflict.booked': 'already booked by', 'conflict.live': 'now in session', 'conflict.noEnd': 'no set end', 'conflict.none': 'Every chosen venue is free then',
    'conflict.blocking': 'These venues are booked at that time; change the time or the venues to save:', 'conflict.warning': 'These venues are in a session now; please check:',
    'checkIn.board': 'Check-in', 'checkIn.open': 'Check-in is open', 'checkIn.opensAt': 'Check-in opens at',
    'ta.mute': 'Muted', 'ta.unmute': 'Unmuted', 'ta.locked': 'Locked', 'ta.unlocked': 'Unlocked', 'ta.responding': 'Responding', 'ta.closed': 'Closed',
    'picker.chosen': 'Chosen', 'booking.when': 'When', 'ta.leg-calling': 'Calling', 'ta.leg-connected': 'Connected', 'ta.leg-failed': 'Call failed', 'ta.leg-dropped': 'Dropped', 'ta.leg-ended': 'Hung up',
    'pub.title': 'Live broadcasts', 'pub.live': 'Live now', 'pub.archive': 'Archive', 'pub.noLive': 'Nothing is live now', 'pub.noArchive': 'Nothing to watch again',
    'pub.search': 'Search by title or date', 'pub.since': 'Since', 'pub.playError': 'Cannot play this now; try again later', 'pub.unsupported': 'This browser cannot play the broadcast', 'pub.chapters': 'Chapters',
    'recording.title': 'Recordings', 'recording.none': 'No recordings yet', 'recording.recording': 'Recording', 'recording.paused': 'Paused', 'recording.ended': 'Ended', 'recording.lowDisk': 'Recording paused: the recordings disk is nearly full',
    'recording.replay': 'Replay', 'recording.close': 'Close', 'recording.playError': 'Cannot play this now; try again later', 'recording.unsupported': 'This browser cannot play the recording',
    'pubgate.requested': 'Awaiting approval', 'pubgate.approve': 'Approve', 'pubgate.refuse': 'Refuse', 'pubgate.approved': 'Public', 'pubgate.withdraw': 'Withdraw', 'pubgate.refused': 'Not public',
    'cascade.title': 'Cascade uplinks', 'cascade.none': 'No uplinks', 'cascade.add': 'Add an uplink', 'cascade.name': 'Name', 'cascade.nameHint': 'e.g. Guangdong provincial platform',
    'cascade.registrar': 'Registrar above', 'cascade.username': 'SIP user', 'cascade.password': 'SIP password', 'cascade.relayChair': 'Relay chair venue',
    'cascade.relayVenues': 'Venues of the relay session', 'cascade.noRelay': '(none)', 'cascade.save': 'Add', 'cascade.delete': 'Delete', 'cascade.configured': 'From configuration',
    'cascade.readonly': 'Only an administrator adds or removes uplinks', 'cascade.reason': 'Reason', 'cascade.relay': 'Relay session',
    'uplink.offline': 'Offline', 'uplink.registered': 'Registered', 'uplink.in-call': 'In call',
    'cascade.upper': 'Upper conference', 'cascade.linkUp': 'Link connected', 'cascade.linkDown': 'Link not connected', 'cascade.sendingUp': 'Sent up',
    'cascade.ownBroadcast': 'our broadcast', 'cascade.broadcastUpper': 'Broadcast the upper conference', 'cascade.viewUpper': 'View upper',
    'cascade.remote': 'Venues below', 'cascade.theirOwn': 'their broadcast', 'cascade.rollcallUp': 'Roll call up', 'cascade.theirBroadcast': 'Their broadcast', 'cascade.sending': 'Sending up',
  },
};

let lang = localStorage.getItem('command.lang') === 'en' ? 'en' : 'zh';

export function t(key) {
  return text[lang][key] ?? text.zh[key] ?? key;
}

// Dates and times in the page language's own conventions (2026/6/12 11:45:48 in Chinese, 24-hour clock in both).
const formats = new Map();

function format(kind, value) {
  if (value === null || value === undefined || value === '') return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const key = `${lang}:${kind}`;
  if (!formats.has(key)) {
    const options = kind === 'time'
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
      : { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    formats.set(key, new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', options));
  }
  return formats.get(key).format(date);
}

export const formatTime = (value) => format('time', value);
export const formatDateTime = (value) => format('dateTime', value);

export function applyTo(root = document) {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
}

export function toggle() {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('command.lang', lang);
  applyTo();
}
