package demo

import "minyi/archive"

// Where a template may be used.
const (
	forBox  = 1 << iota // the 60 opinions: boxes, QR codes, questionnaires, forums
	forDesk             // the 24-hour police desk
)

// Handling units a template may name instead of its category's unit.
const unitStation = "station" // the police station of the writer's township

// tmpl is a citizen's text with the bureau's answer. Placeholders: {town},
// {village}, {station} (the township's police station) and {who} (an
// elderly relative). Texts are written in simplified Chinese; the
// loader converts some to traditional, as about a third of writers use it.
type tmpl struct {
	use    int
	cat    string
	kind   archive.Kind
	unit   string // "" = the category's unit
	title  string
	text   string
	answer string
}

// The texts are composites of what citizens commonly raise with a county
// police bureau; none is a real person's message.
var templates = []tmpl{
	// 户籍业务
	{forBox, "huji", archive.KindSuggestion, "", "建议户籍窗口实行错时延时服务",
		"我们上班族平时不好请假，户籍窗口中午和周末都不开门，办个户口还得专门请假。建议实行错时、延时服务，方便上班的群众。",
		"感谢您的建议！行政审批服务中心已实行节假日错时、延时服务制度：工作日中午不休息、下午延时至18时，周六上午正常办理户籍和身份证业务，节假日安排专人值守。具体时间已在“平安鄂托克”公众号公布。"},
	{forBox, "huji", archive.KindSuggestion, "", "希望户籍业务一次办完",
		"我家在{town}{village}，离旗里远，来回一趟要大半天。上次办户口迁移跑了三趟，希望户籍业务能一次办完，别让群众来回跑。",
		"您反映的问题我们高度重视。我局已成立行政审批服务中心，户籍业务实行一站式办理，材料齐全的当场办结；偏远嘎查的群众可电话预约，由{station}民警上门采集材料、帮办代办。"},
	{forBox, "huji", archive.KindSuggestion, "", "建议节假日也能办户籍业务",
		"春节前后外出打工的人都回来了，想趁放假把户口、身份证的事办了，可是节假日窗口不开。建议节假日也安排人值班。",
		"我局已实行节假日错时、延时服务制度，春节、国庆等长假期间行政审批服务中心安排专人值守，可正常办理户籍和身份证业务，欢迎提前电话预约。"},
	{forDesk, "huji", archive.KindConsultation, "", "大学毕业户口迁回",
		"孩子在外地上大学，毕业了想把户口迁回{town}，需要带哪些材料？在哪里办？",
		"大学毕业生户口迁回原籍，可持毕业证、户口迁移证（或报到证）和居民身份证，到行政审批服务中心户籍窗口或{station}办理，户籍业务实行一站式办理，材料齐全当场办结。"},
	{forDesk, "huji", archive.KindConsultation, "", "户口本姓名写错如何更正",
		"{who}户口本上的名字有个字写错了，和身份证对不上，在哪里更正户籍信息？本人必须到场吗？",
		"更正姓名需持户口簿、居民身份证以及能证明正确姓名的原始材料（如出生医学证明、档案等），到户籍所在地派出所申请。老人行动不便的，可由家属代为提交材料，民警预约上门核实。"},
	{forDesk, "huji", archive.KindConsultation, "", "婚后户口迁入",
		"我是外地嫁到{town}的，想把户口迁过来，需要准备什么？还要回老家开准迁证吗？",
		"投靠配偶迁入户口，请准备结婚证、双方居民身份证、户口簿及居住证明，到行政审批服务中心户籍窗口申请。目前户口迁移已实行“跨省通办”，无需回原籍开具准迁证。"},
	{forDesk, "huji", archive.KindConsultation, "", "户口本丢失补办",
		"家里的户口本找不到了，补办需要什么材料？多长时间能拿到？",
		"补领户口簿由户主或家庭成员持居民身份证到户籍窗口申请即可，当场补发，无需其他证明材料。"},
	{forDesk, "huji", archive.KindConsultation, "", "开具无犯罪记录证明",
		"单位让开无犯罪记录证明，去哪里办？需要什么材料？",
		"无犯罪记录证明可持居民身份证到户籍所在地或居住地派出所申请，也可通过“蒙速办”APP在线申请，一般3个工作日内出具。"},
	{forDesk, "huji", archive.KindConsultation, "", "户籍窗口周末是否上班",
		"请问户籍窗口周六上班吗？中午休息吗？我只有周末有时间。",
		"行政审批服务中心已实行错时、延时服务：工作日中午不休息，周六上午正常办理户籍和身份证业务，节假日安排专人值守。"},

	// 身份证办理
	{forBox, "id-card", archive.KindHelp, "", "卧床老人身份证过期",
		"{who}今年八十多岁了，常年卧床出不了门，身份证已经过期，看病报销都要用。能不能上门给老人办理？",
		"我局已优化老年人办证服务，对行动不便的老年人提供预约上门办证。行政审批服务中心民警已与您联系，上门为老人采集了照片和指纹，证件制作完成后送证上门。"},
	{forBox, "id-card", archive.KindSuggestion, "", "建议设老年人优先窗口",
		"办证大厅人多的时候要排很久的队，老年人站不住，也不会用自助机。建议设个老年人专用窗口，放几把椅子，安排人帮一帮。",
		"已在行政审批服务中心设置“老年人优先窗口”，配备座椅、老花镜和轮椅，安排辅警在大厅引导，老年人办证实行优先办理、帮办代办。"},
	{forDesk, "id-card", archive.KindConsultation, "", "异地换领身份证",
		"身份证快到期了，人在呼和浩特打工，可以在外地换领吗？",
		"可以。居民身份证已实现全国异地受理，您可持原身份证到就近公安机关户籍窗口办理换领，无需回户籍地。"},
	{forDesk, "id-card", archive.KindConsultation, "", "身份证办理时间和邮寄",
		"办身份证一般多久能拿到？可以邮寄到家吗？",
		"居民身份证一般在受理后20个工作日内制作完成，可选择到窗口领取或邮寄到家，证件办好后会短信通知。"},
	{forDesk, "id-card", archive.KindConsultation, "", "临时身份证办理",
		"明天要坐火车，身份证丢了来不及补，临时身份证在哪里办？",
		"临时居民身份证可到行政审批服务中心户籍窗口当场办理。时间紧急的，也可在火车站公安制证窗口办理乘车临时身份证明。"},
	{forDesk, "id-card", archive.KindConsultation, "", "老人换身份证能否上门",
		"{who}七十多岁了，腿脚不方便，换身份证可以上门办吗？",
		"可以。我局对行动不便的老年人提供预约上门办证服务，请保持电话畅通，行政审批服务中心民警将与您约定时间上门采集。"},

	// 新生儿落户
	{forBox, "newborn", archive.KindSuggestion, "", "新生儿落户跑的地方太多",
		"孩子出生一个多月了，听说上户口要先去医院开证明，再到政务大厅，再到派出所，来回好几个地方。能不能简化一下？",
		"新生儿落户已实现“一件事一次办”：由政务服务中心通过“蒙速办·一次办”平台统一收集出生医学证明等材料，直接转交我局行政审批服务中心审批落户，无需再跑其他环节，办好的户口簿可邮寄到家。"},
	{forBox, "newborn", archive.KindHelp, "", "牧区孩子还没落户",
		"我们家在{town}{village}放牧，孩子出生后一直没顾上上户口，明年就要上幼儿园了，很着急，不知道怎么办。",
		"行政审批服务中心已为您开启帮办代办：民警电话指导您准备材料，通过政务服务中心“蒙速办”平台一次提交，已审批落户，户口簿由{station}民警送到家中。"},
	{forDesk, "newborn", archive.KindConsultation, "", "新生儿落户材料",
		"新生儿上户口需要带什么材料？父母户口不在一起能落吗？",
		"新生儿落户需出生医学证明、父母双方居民身份证、户口簿和结婚证。父母户口不在一起的，可随父或随母落户。现已实行“一件事一次办”，在政务服务中心“蒙速办”窗口一次提交即可。"},
	{forDesk, "newborn", archive.KindConsultation, "", "外地出生的孩子落户",
		"孩子在鄂尔多斯市里的医院出生，户口能落在{town}吗？还要专门回来办吗？",
		"可以落在父母任一方户籍所在地。通过“蒙速办·一次办”平台提交材料即可，行政审批服务中心审批落户后可将户口簿邮寄到家，无需专门往返。"},
	{forDesk, "newborn", archive.KindConsultation, "", "新生儿落户一次办结",
		"听说新生儿落户可以一次办结了，是真的吗？去哪里办？",
		"是真的。新生儿落户已实现“一件事一次办”：在政务服务中心窗口或“蒙速办”平台一次提交材料，由行政审批服务中心直接审批落户，不再需要其他审批流程和手续。"},

	// 治安管理
	{forBox, "public-order", archive.KindComplaint, unitStation, "夜间聚集吵闹扰民",
		"{town}{village}附近有几家烧烤店，晚上经常有人喝酒吵闹到半夜，影响周边居民休息，希望派出所加强管理和巡逻。",
		"{station}已将该区域纳入夜间巡逻重点，每晚22时至24时增加巡逻频次，约谈了相关经营业主，对酗酒滋事人员进行了批评教育。我们将持续关注，如再有扰民情况请及时拨打110。"},
	{forBox, "public-order", archive.KindReport, UnitCriminal, "牧区牲畜接连被盗",
		"我们{village}今年接连有几户丢了羊，一丢就是好几只，怀疑有人专门开车来偷牲畜。希望公安机关查一查，加强牧区防范。",
		"刑事侦查大队已会同{station}立案侦查，在牧区开展夜间巡防，并在主要路口增设视频监控。同时提醒牧民为牲畜佩戴耳标、及时清点，发现可疑车辆请立即报警。"},
	{forBox, "public-order", archive.KindSuggestion, unitStation, "建议学校门口设护学岗",
		"{town}学校门口上学放学的时候车多人多，接孩子的车乱停乱放，很不安全，建议上下学时段安排民警护学。",
		"{station}已在辖区中小学门口设立“护学岗”，上下学高峰时段由民警、辅警和交警共同值守，疏导交通、规范停车，保障学生安全。"},
	{forBox, "public-order", archive.KindComplaint, "", "网吧接纳未成年人",
		"街上有的网吧让未成年人进去上网，有的孩子放学不回家，家长很担心，希望管一管。",
		"治安管理大队已联合文旅部门对辖区网吧开展检查，对接纳未成年人上网的经营者依法处理，并督促落实上网实名登记制度。"},
	{forDesk, "public-order", archive.KindConsultation, "", "出租房屋是否要登记",
		"家里有套房子出租，需要到派出所登记吗？租客要登记什么信息？",
		"需要。出租房屋应在租客入住后3日内到辖区派出所或通过“平安鄂托克”公众号登记租客身份信息，民警会定期上门核查。"},
	{forDesk, "public-order", archive.KindConsultation, unitStation, "小区大型犬不拴绳",
		"{town}我们小区里有人养大狗不拴绳，孩子很害怕，这个归谁管？",
		"养犬须依法登记并文明牵引。您反映的情况已转{station}，民警将会同社区上门劝导，对拒不改正的依法处理。"},
	{forDesk, "other", archive.KindConsultation, "", "捡到钱包交到哪里",
		"捡到一个钱包，里面有身份证和银行卡，应该交到哪里？",
		"感谢您拾金不昧！可将钱包送到就近派出所，民警会根据身份证信息联系失主。"},

	// 交通管理
	{forBox, "traffic", archive.KindComplaint, "", "拉煤货车超载超速",
		"从{town}出来的公路上拉煤的大货车很多，超载超速，晚上还开远光灯，我们开小车、骑摩托的都很害怕。",
		"交通管理大队已在该路段开展货车超载超速专项整治，增设流动测速点，联合交通运输部门夜间检查，依法查处超载超速和违法使用远光灯的车辆。"},
	{forBox, "traffic", archive.KindSuggestion, "", "牲畜过路处设警示标志",
		"我们放牧的时候牛羊经常要横穿公路，过往车辆开得快，去年就撞过牲畜。建议在牲畜通道附近设置警示标志和减速带。",
		"交通管理大队已会同公路部门对牧区公路牲畜通道进行排查，在{town}辖区增设了“注意牲畜”警示标志和减速带，并加强了该路段的巡逻管控。"},
	{forBox, "traffic", archive.KindSuggestion, "", "路口行人绿灯时间太短",
		"{town}中心路口红绿灯给行人的时间太短，老人和孩子过马路走一半就变灯了，建议延长。",
		"交通管理大队已对该路口信号配时进行调整，行人绿灯时间延长至30秒，并在早晚高峰安排警力疏导。"},
	{forDesk, "traffic", archive.KindConsultation, "", "驾驶证到期换证",
		"驾驶证快到期了，换证可以在{town}办吗？体检去哪里？",
		"驾驶证期满换证可到交通管理大队车驾管服务窗口办理，也可通过“交管12123”APP网上申请。体检可在指定医院完成，体检信息联网上传，无需提交纸质体检表。"},
	{forDesk, "traffic", archive.KindConsultation, "", "电动自行车上牌",
		"电动自行车需要上牌吗？在哪里上？",
		"符合国家标准的电动自行车需要登记上牌，请携带购车发票、合格证和身份证到交通管理大队登记窗口办理，当场发牌。"},
	{forDesk, "traffic", archive.KindConsultation, "", "交通事故处理进度",
		"上个月出了个小事故，交通事故处理进度怎么查？对方一直不联系。",
		"您可持事故认定书或事故编号到交通管理大队事故处理中队查询。对方拒不履行赔偿的，可申请调解或向人民法院起诉。"},
	{forDesk, "traffic", archive.KindComplaint, "", "拉煤车夜间超速",
		"拉煤车晚上在{town}街上开得很快，能不能限速管一管？",
		"交通管理大队已在该路段增设限速标志和流动测速点，夜间加强巡逻管控，依法查处超速行为。"},

	// 电信诈骗
	{forBox, "fraud", archive.KindSuggestion, "", "建议到牧区宣传防诈骗",
		"现在电信诈骗太多了，牧区的老人不会用智能手机，很容易上当。建议多到嘎查讲讲防骗知识，最好用蒙汉双语。",
		"我局已组织民警深入嘎查、社区开展“反诈宣传进牧区”活动，用蒙汉双语讲解冒充公检法、刷单返利等常见诈骗手法，并帮助群众安装国家反诈中心APP。"},
	{forBox, "fraud", archive.KindHelp, "", "老人接到冒充公检法电话",
		"{who}接到一个自称公安局的电话，说银行卡涉嫌洗钱，要把钱转到“安全账户”，幸好家里人拦住了。这种电话能不能查一查？",
		"这是典型的冒充公检法诈骗，公检法机关不会通过电话办案，更没有“安全账户”。已将该号码报送反诈中心处置，{station}民警已上门为老人做防诈宣传。遇到类似情况请立即拨打110或96110。"},
	{forDesk, "fraud", archive.KindHelp, "", "刷单被骗如何报案",
		"在网上刷单被骗了三千多块钱，还能追回来吗？怎么报案？",
		"刷单返利都是诈骗。请保存好聊天记录和转账凭证，立即拨打110或到就近派出所报案，公安机关将依法立案侦查，并及时止付、冻结涉案资金。"},
	{forDesk, "fraud", archive.KindConsultation, "", "反诈APP和96110",
		"国家反诈中心APP怎么安装？接到96110打来的电话是真的吗？",
		"可在手机应用商店搜索“国家反诈中心”下载安装。96110是全国反诈预警劝阻专线，接到该号码来电说明您或家人可能正在遭遇诈骗，请务必接听。"},
	{forDesk, "fraud", archive.KindConsultation, "", "低息贷款先交保证金",
		"有人加我微信说能办低息贷款，要先交保证金，这是不是骗子？",
		"先交保证金、手续费的“贷款”都是诈骗，正规贷款放款前不收取任何费用。请不要转账，并可将对方账号提供给公安机关。"},

	// 矛盾纠纷
	{forBox, "dispute", archive.KindHelp, unitStation, "草场边界纠纷",
		"我家和邻居因为草场边界的事吵了好几年，嘎查调解过几次都没解决，今年春天又差点动手，希望派出所帮忙调解。",
		"{station}会同司法所和嘎查两委到现场实地勘界，组织双方面对面调解，已达成草场边界协议并签字确认，民警将定期回访。"},
	{forBox, "dispute", archive.KindHelp, unitStation, "工地拖欠工资",
		"我在{town}一个工地干了半年活，包工头一直拖着工资不给，找了好几次都没结果，很着急。",
		"{station}已联合人社部门约谈承包方和施工单位，协调支付了拖欠工资，并告知您今后可向劳动保障监察部门投诉维权。"},
	{forBox, "dispute", archive.KindHelp, unitStation, "羊啃庄稼引发纠纷",
		"邻居家的羊跑到我家地里，把玉米苗啃了一大片，找他赔偿不认账，两家差点打起来，请派出所来调解一下。",
		"{station}民警到现场核实了损失，组织双方调解，邻居已按协议赔偿损失，并承诺加强看管牲畜，双方握手言和。"},
	{forDesk, "dispute", archive.KindConsultation, unitStation, "装修震裂邻居墙体",
		"邻居家装修把我家墙震裂了，协商不成怎么办？",
		"您可向{station}或社区人民调解委员会申请调解，民警将会同社区上门查看、组织双方协商；调解不成的，可依法向人民法院起诉。"},

	// 服务态度与作风
	{forBox, "conduct", archive.KindComplaint, "", "窗口人员态度生硬",
		"上个月去办事窗口办业务，工作人员态度比较生硬，缺什么材料也不一次说清楚，让我跑了两趟。",
		"经政工室（警务督察）调查核实，已对相关窗口人员进行批评教育，全面推行“一次性告知”制度，在大厅公布办事指南和材料清单。感谢您的监督。"},
	{forBox, "conduct", archive.KindPraise, unitStation, "表扬民警找回走失老人",
		"{who}有些糊涂，前几天出门走丢了，全家人急坏了。{station}的民警连夜帮忙寻找，第二天一早就把老人送回了家，特别感谢他们！",
		"感谢您对公安工作的肯定！您的表扬已转达{station}，我们将继续把群众的事当作自己的事，用心用情为群众服务。"},
	{forBox, "conduct", archive.KindSuggestion, "", "希望民警多下基层",
		"希望派出所民警多到我们嘎查走走，我们牧民有事不知道该找谁，有时候打电话也说不清楚。",
		"我局深入开展“百万警进千万家”活动，每个嘎查、社区都明确了联系民警，联系方式已在嘎查村委会公示栏张贴，民警定期入户走访。"},

	// 便民服务建议
	{forBox, "convenience", archive.KindSuggestion, "", "建议设警务便民服务点",
		"建议在偏远嘎查设立警务便民服务点，开证明、换身份证这些简单业务能就近办，不用跑到旗里。",
		"我局已在苏木、嘎查建立便民服务站点8个，可就近办理户籍证明、身份证受理等业务，并定期开展流动服务。"},
	{forBox, "convenience", archive.KindSuggestion, "", "希望手机查询办证进度",
		"办了证不知道什么时候能取，每次都要打电话问。希望能在手机上查进度，办好了发个短信通知。",
		"已开通“平安鄂托克”微信公众号办证进度查询，证件制作完成后发送短信通知领取，也可选择邮寄到家。"},
	{forBox, "convenience", archive.KindSuggestion, "", "建议设自助拍照领证设备",
		"建议在政务服务中心安装公安自助拍照和身份证自助领取设备，下班时间也能办。",
		"我局已在政务服务中心公安窗口配置自助拍照和证件自助领取设备，实行24小时自助服务，工作时间安排辅警指导使用。"},
	{forDesk, "convenience", archive.KindConsultation, "", "夜间留言是否有人回复",
		"“24小时警局”晚上留言有人回复吗？",
		"有。“24小时警局”全天受理群众留言，由指挥中心统一分办，一般1个工作日内答复；紧急情况请直接拨打110。"},
	{forDesk, "convenience", archive.KindConsultation, "", "苏木上能否就近办证",
		"我们住在{town}，苏木上有没有能办证的地方？每次去旗里太远了。",
		"我局已建立便民服务站点8个，可就近受理户籍证明、身份证等业务，具体地点和时间可在“平安鄂托克”公众号查询，也可拨打{station}电话预约流动服务。"},

	// 其他
	{forBox, "other", archive.KindReport, UnitNarcotics, "发现疑似种植罂粟",
		"在{village}附近一户人家的院子里看到种了一些像罂粟的植物，不知道是不是违法的，向你们反映一下。",
		"禁毒大队接报后立即会同{station}到现场核查，依法铲除了非法种植的罂粟，并对当事人进行了教育处理。感谢您的举报，我局对举报人信息严格保密。"},
}

// villages are fictitious but typical names of the communities (社区) and
// herding villages (嘎查) of each township.
var villages = map[string][]string{
	"乌兰镇":    {"都斯图社区", "赛乌素嘎查", "巴音乌苏嘎查"},
	"棋盘井镇":   {"新井社区", "伊克布拉格嘎查", "乌仁都西社区"},
	"蒙西镇":    {"蒙西社区", "碱柜嘎查", "巴音陶亥嘎查"},
	"木肯淖尔镇":  {"木肯淖尔社区", "巴音淖尔嘎查"},
	"阿尔巴斯苏木": {"赛音乌素嘎查", "布龙湖嘎查"},
	"苏米图苏木":  {"苏米图嘎查", "查干淖尔嘎查"},
}

// townships lists the six townships, the populous towns twice so that they
// are written about more often.
var townships = []string{"乌兰镇", "乌兰镇", "棋盘井镇", "棋盘井镇", "蒙西镇", "木肯淖尔镇", "阿尔巴斯苏木", "苏米图苏木"}

var (
	relatives = []string{"我父亲", "我母亲", "家里老人", "我爷爷", "我奶奶"}
	surnames  = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "郝", "孙", "马", "高", "白", "乌", "巴", "苏", "敖", "包", "韩"}
	honorific = []string{"先生", "女士"}

	deskOpeners = []string{"", "", "您好，", "警官您好！", "你好，"}
	deskClosers = []string{"", "", "谢谢！", "麻烦回复一下，谢谢。", "盼复。"}
	boxClosers  = []string{"", "", "希望尽快解决。", "谢谢！", "望采纳。"}

	replyOpeners = []string{"", "您好！", "您好，感谢您的留言。"}

	satisfiedNotes = []string{
		"电话回访，群众对办理结果表示满意。",
		"回访时群众表示问题已经解决，满意。",
		"电话回访，群众说办得快、讲得清，很满意。",
		"上门回访，群众对民警的答复和办理结果表示满意。",
	}
	basicNotes = []string{
		"电话回访，群众表示基本满意，希望今后办理再快一些。",
		"回访时群众表示问题已基本解决，基本满意。",
	}
	unsatisfiedNotes = []string{
		"电话回访，群众表示问题尚未彻底解决，不满意，要求重新办理。",
		"回访时群众认为答复过于笼统，没有说清具体措施，不满意。",
	}
	redoAnswers = []string{
		"单位负责同志带队上门，当面听取意见、说明情况，并落实了后续措施。",
		"我们再次核实了情况，与您当面沟通，补充落实了整改措施。",
	}
)

// The close notes (flow.closeNote) of anonymous items, closed without a
// return visit because nobody can be visited.
const (
	anonymousBoxNote  = "匿名意见，无法回访；答复已在意见箱所在大厅公示栏公开，予以销号。"
	anonymousDeskNote = "匿名留言，无法回访；答复已在“24小时警局”公开，予以销号。"
)
