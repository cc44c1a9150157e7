//! The title and decision paragraph of the final reply for each of the 21 outcomes
//! (Art. 36–39; docs/rules/outcomes.md).

use gongkai_core::application::Outcome;

pub struct OutcomeText {
    pub title: &'static str,
    pub decision: &'static str,
    /// Whether the reply hands over information (then it names the delivery method).
    pub provides_information: bool,
}

const DENIED: &str = "政府信息不予公开告知书";
const NOT_PROCESSED: &str = "政府信息公开申请不予处理告知书";
const REPLY: &str = "政府信息公开申请答复书";

pub fn text(o: Outcome) -> OutcomeText {
    let (title, decision, provides) = match o {
        Outcome::Granted => (
            "政府信息公开告知书",
            "经审查，您申请获取的政府信息属于公开范围，本机关决定予以公开。",
            true,
        ),
        Outcome::Partial => (
            "政府信息部分公开告知书",
            "经审查，您申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。根据《中华人民共和国政府信息公开条例》第三十七条的规定，本机关向您提供可以公开的部分，对不予公开的部分说明理由如下。",
            true,
        ),
        Outcome::DeniedStateSecret => (
            DENIED,
            "经审查，您申请获取的政府信息属于依法确定的国家秘密。根据《中华人民共和国政府信息公开条例》第十四条的规定，本机关决定不予公开。",
            false,
        ),
        Outcome::DeniedLawProhibited => (
            DENIED,
            "经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息。根据《中华人民共和国政府信息公开条例》第十四条的规定，本机关决定不予公开。",
            false,
        ),
        Outcome::DeniedSecurityStability => (
            DENIED,
            "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。根据《中华人民共和国政府信息公开条例》第十四条的规定，本机关决定不予公开。",
            false,
        ),
        Outcome::DeniedThirdParty => (
            DENIED,
            "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害。根据《中华人民共和国政府信息公开条例》第十五条的规定，本机关决定不予公开。",
            false,
        ),
        Outcome::DeniedInternalAffairs => (
            DENIED,
            "经审查，您申请获取的政府信息属于人事管理、后勤管理、内部工作流程等内部事务信息。根据《中华人民共和国政府信息公开条例》第十六条第一款的规定，本机关决定不予公开。",
            false,
        ),
        Outcome::DeniedProcessInfo => (
            DENIED,
            "经审查，您申请获取的政府信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息。根据《中华人民共和国政府信息公开条例》第十六条第二款的规定，本机关决定不予公开。",
            false,
        ),
        Outcome::DeniedEnforcementFile => (
            DENIED,
            "经审查，您申请获取的政府信息属于行政执法案卷信息。根据《中华人民共和国政府信息公开条例》第十六条第二款的规定，本机关决定不予公开。",
            false,
        ),
        Outcome::DeniedAdminQuery => (
            "依照有关法律、行政法规办理告知书",
            "经审查，您申请获取的信息属于工商、不动产登记资料等有关法律、行政法规对信息的获取有特别规定的情形。根据《中华人民共和国政府信息公开条例》第三十六条第（七）项的规定，请您依照有关法律、行政法规的规定办理。",
            false,
        ),
        Outcome::UnableNotHeld => (
            "政府信息不存在告知书",
            "经检索查找，本机关未制作、获取您申请获取的政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第（四）项的规定，告知您该政府信息不存在。",
            false,
        ),
        Outcome::UnableNeedsCreation => (
            REPLY,
            "经审查，本机关没有现成的您所申请的信息，提供该信息需要对现有政府信息进行加工、分析。根据《中华人民共和国政府信息公开条例》第三十八条的规定，本机关不予提供。",
            false,
        ),
        Outcome::UnableStillUnclear => (
            REPLY,
            "经审查，您补正后的申请内容仍不明确，本机关无法确定您所申请的政府信息，无法提供。",
            false,
        ),
        Outcome::NotProcessedPetition => (
            NOT_PROCESSED,
            "经审查，您提出的申请属于信访、投诉、举报等诉求。根据《中华人民共和国政府信息公开条例》第三十九条第一款的规定，本机关不作为政府信息公开申请处理，您可以通过相应渠道提出。",
            false,
        ),
        Outcome::NotProcessedRepeat => (
            "重复申请政府信息公开告知书",
            "经审查，本机关已就您申请获取的政府信息作出过答复，您重复申请公开相同政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第（六）项的规定，本机关不予重复处理。",
            false,
        ),
        Outcome::NotProcessedPublication => (
            NOT_PROCESSED,
            "经审查，您要求提供的是政府公报、报刊、书籍等公开出版物。根据《中华人民共和国政府信息公开条例》第三十九条第二款的规定，您可以通过公开发行渠道获取。",
            false,
        ),
        Outcome::NotProcessedMassRepeat => (
            NOT_PROCESSED,
            "经审查，您申请公开政府信息的数量、频次明显超过合理范围，且未说明理由或者理由不合理。根据《中华人民共和国政府信息公开条例》第三十五条的规定，本机关不予处理。",
            false,
        ),
        Outcome::NotProcessedConfirmReissue => (
            NOT_PROCESSED,
            "经审查，您的申请系要求本机关确认或者重新出具您已获取的信息，不属于政府信息公开申请的处理范围，本机关不予处理。",
            false,
        ),
        Outcome::OtherNoCorrection => (
            REPLY,
            "本机关已于此前一次性告知您补正申请，您无正当理由逾期未补正。根据《中华人民共和国政府信息公开条例》第三十条的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。",
            false,
        ),
        Outcome::OtherFeeUnpaid => (
            REPLY,
            "本机关已向您发出收费通知，您逾期未按收费通知要求缴纳费用。根据《政府信息公开信息处理费管理办法》的规定，本机关不再处理该政府信息公开申请。",
            false,
        ),
        Outcome::OtherOther => (
            REPLY,
            "您已撤回该政府信息公开申请（或申请存在其他不予继续处理的情形），本机关终止处理。",
            false,
        ),
    };
    OutcomeText {
        title,
        decision,
        provides_information: provides,
    }
}
