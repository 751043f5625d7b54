"""Demo translations: two plans in Turkish and Arabic, as their initiators (or a volunteer
translator) would add them with ``services.translations.content.save``, so a newcomer who
switches the site to Türkçe or العربية sees a plan in that language, the notice that it is a
translation, and the link to the original."""

from __future__ import annotations

from sqlalchemy import select

from wijkfonds.extensions import db
from wijkfonds.models import ContentKind, ContentTranslation, Initiative, User
from wijkfonds.services.translations import content

# demo plan key -> language -> (title, summary, text)
TRANSLATIONS: dict[str, dict[str, tuple[str, str, str]]] = {
    "taalcafe-bos-en-lommerplein": {
        "tr": (
            "Bos en Lommerplein'daki kütüphanede dil kafesi",
            "Her hafta komşuların gönüllülerle Hollandaca pratik yaptığı keyifli bir sabah; kahve var, ödev ve "
            "sınav yok.",
            "Bos en Lommer'deki birçok komşu daha iyi Hollandaca konuşmak istiyor, ama bir kurs pahalı ya da "
            "çok zor. Dil kafesinde dört beş kişilik masalarda, yanınızda bir gönüllüyle sadece sohbet "
            "edersiniz. Pazardan, doktordan, çocukların okulundan konuşuruz.\n\n"
            "Bunu altı gönüllüyle yarım yıldır yapıyoruz. Artık her hafta otuzdan fazla kişi geliyor ve yer "
            "küçük kalıyor. Para, kütüphanede ikinci bir salonun kirası, kahve ve çay, ders malzemesi ve yeni "
            "gönüllülerin eğitimi için.",
        ),
        "ar": (
            "مقهى اللغة في المكتبة بساحة بوس إن لومر",
            "صباح لطيف كل أسبوع يتدرّب فيه الجيران على اللغة الهولندية مع متطوعين، مع القهوة ومن دون واجبات "
            "أو امتحانات.",
            "كثير من الجيران في بوس إن لومر يريدون أن يتحدثوا الهولندية بشكل أفضل، لكن الدورة غالية أو صعبة "
            "جدًا. في مقهى اللغة تتحدث ببساطة مع الآخرين، على طاولات من أربعة أو خمسة أشخاص، ومعكم متطوع. "
            "نتحدث عن السوق والطبيب ومدرسة الأطفال.\n\n"
            "نقوم بهذا منذ نصف سنة مع ستة متطوعين. الآن يأتي كل أسبوع أكثر من ثلاثين شخصًا، وصار المكان "
            "صغيرًا. المال لاستئجار قاعة ثانية في المكتبة، وللقهوة والشاي، ولمواد التعلّم، ولتدريب متطوعين جدد.",
        ),
    },
    "buurtmoestuin-erasmuspark": {
        "tr": (
            "Erasmuspark'ın kenarında mahalle bostanı",
            "Komşuların birlikte sebze yetiştirdiği, çocukların yiyeceğin nereden geldiğini öğrendiği ve "
            "yaşlıların birbirini görmek için sabit bir yeri olduğu bir bostan.",
            "Erasmusgracht tarafında neredeyse kimsenin kullanmadığı bir çimenlik var. Oraya yirmi bostan "
            "sandığı koymak istiyoruz. Deneyiminiz olmasa da mahalleden herkes katılabilir. Çarşamba "
            "öğleden sonraları ilkokulun çocukları yardıma geliyor.\n\n"
            "Para; sandıklar, toprak, bir yağmur suyu fıçısı, aletler, kilitlenebilir bir sandık ve ilk yıl "
            "haftada iki yarım gün orada olacak bir bahçe rehberi için. Belediye, arazinin bunun için "
            "kullanılabileceğini zaten söyledi.",
        ),
        "ar": (
            "حديقة خضار للحيّ على طرف حديقة إيراسموس",
            "حديقة خضار يزرع فيها الجيران معًا، ويتعلّم فيها الأطفال من أين يأتي الطعام، ويجد فيها كبار السن "
            "مكانًا ثابتًا للقاء.",
            "على جانب قناة إيراسموس توجد قطعة عشب لا يكاد يستخدمها أحد. نريد أن نضع هناك عشرين صندوقًا "
            "للزراعة. يمكن لكل من في الحيّ أن يشارك، حتى من دون خبرة. بعد ظهر كل أربعاء يأتي أطفال المدرسة "
            "الابتدائية للمساعدة.\n\n"
            "المال للصناديق والتربة وبرميل لماء المطر والأدوات وصندوق يُقفل، ولمرشد للحديقة يكون موجودًا "
            "نصفَي يوم في الأسبوع في السنة الأولى. وقد قالت البلدية إن الأرض يمكن استخدامها لهذا.",
        ),
    },
}


def load_translations() -> dict[str, int]:
    """Add the translations that are not there yet (idempotent), in the initiator's name."""
    added = 0
    offered = set(content.target_languages())
    for key, by_lang in TRANSLATIONS.items():
        ini = db.session.scalars(select(Initiative).where(Initiative.external_id == f"demo:{key}")).first()
        if ini is None:
            continue
        author = db.session.get(User, ini.author_id)
        for lang, (title, summary, text) in by_lang.items():
            if lang not in offered or author is None:
                continue
            there = db.session.scalar(
                select(ContentTranslation.id).where(
                    ContentTranslation.kind == ContentKind.PLAN.value,
                    ContentTranslation.object_id == ini.id,
                    ContentTranslation.language == lang,
                )
            )
            if there is not None:
                continue
            content.save(
                ContentKind.PLAN.value,
                ini.id,
                language=lang,
                texts={"title": title, "summary": summary, "text": text},
                actor=author,
            )
            added += 1
    return {"translations": added}
