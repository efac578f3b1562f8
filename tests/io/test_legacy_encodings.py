"""Legacy single-byte encodings: each language in the code page its newsrooms used, read back
exactly, as one paragraph and as a whole article. A wrong guess here is silent (Turkish read as
Cyrillic, "ção" as "згo"), so every language is checked letter for letter."""

from __future__ import annotations

import pytest

from app.io.readers.encoding import decode_text

SAMPLES = {
    "German": ("cp1252", "Außenministerin Baerbock sagte am Freitag, die Mission sei weiterhin nötig. „Wir dürfen "
                         "jetzt nicht nachlassen“, betonte sie in Brüssel. Kritiker äußerten Zweifel."),
    "French": ("cp1252", "Le président a déclaré vendredi que la mission de paix était prolongée. « Nous ne céderons "
                         "pas », a-t-il ajouté à Genève. Les critiques ont exprimé leur inquiétude."),
    "Spanish": ("cp1252", "El presidente afirmó el viernes que la misión de paz continuará. «No vamos a ceder», "
                          "añadió en Bogotá. La oposición pidió más información sobre el acuerdo."),
    "Italian": ("cp1252", "Il ministro ha dichiarato venerdì che la missione sarà prolungata. «Non possiamo fermarci "
                          "adesso», ha aggiunto. L'opposizione ha chiesto più trasparenza."),
    "Portuguese": ("cp1252", "O ministro afirmou na sexta-feira que a missão de paz será prolongada. «Não vamos "
                             "recuar», acrescentou em Lisboa. A oposição pediu explicações ao governo."),
    "Danish": ("cp1252", "Ministeren sagde fredag, at fredsmissionen bliver forlænget. »Vi giver ikke op«, tilføjede "
                         "han i Århus. Kritikere udtrykte bekymring for økonomien."),
    "Swedish": ("cp1252", "Ministern sade på fredagen att fredsuppdraget förlängs. ”Vi ger inte upp”, tillade han i "
                          "Göteborg. Kritiker uttryckte oro över kostnaderna för åtgärden."),
    "Icelandic": ("cp1252", "Ríkisstjórnin ákvað í gær að framlengja verkefnið. „Við þurfum frið,“ sagði ráðherrann. "
                            "Það er ljóst að ýmsir eru ósáttir við þá niðurstöðu."),
    "Turkish": ("cp1254", "Cumhurbaşkanı Erdoğan, İstanbul'da yaptığı açıklamada barış görüşmelerinin sürdüğünü "
                          "söyledi. \"Ateşkes şarttır\" dedi. Dışişleri Bakanı ise Şubat ayında Ankara'ya gidecek."),
    "Turkish (ISO 8859-9)": ("iso8859_9", "Dışişleri Bakanı, Şubat ayında Ankara'ya gideceğini açıkladı; "
                                          "görüşmelerin sürdüğünü söyledi."),
    "Turkish quoting Western names": ("cp1254", "Dışişleri Bakanı, Müller ve François ile görüştüğünü açıkladı; "
                                                "Björn Ağaoğlu da toplantıdaydı."),
    "Polish": ("cp1250", "Premier Tusk powiedział, że misja pokojowa zostanie przedłużona. „Żołnierze zostają”, dodał "
                         "minister obrony. Źródła w rządzie potwierdzają tę decyzję."),
    "Polish (ISO 8859-2)": ("iso8859_2", "Premier Tusk powiedział, że misja pokojowa zostanie przedłużona. Źródła w "
                                         "rządzie potwierdzają tę decyzję."),
    "Czech": ("cp1250", "Předseda vlády řekl, že mise bude prodloužena. „Vojáci zůstávají,“ dodal ministr obrany. "
                        "Zdroje ve vládě potvrzují toto rozhodnutí."),
    "Slovak": ("cp1250", "Predseda vlády povedal, že misia bude predĺžená. „Vojaci zostávajú,“ dodal minister obrany. "
                         "Zdroje vo vláde potvrdzujú toto rozhodnutie."),
    "Hungarian": ("cp1250", "A miniszterelnök pénteken kijelentette, hogy a békemissziót meghosszabbítják. „Nem "
                            "adjuk fel” – tette hozzá. A bírálók aggodalmukat fejezték ki."),
    "Croatian": ("cp1250", "Predsjednik vlade rekao je u petak da će se mirovna misija produljiti. „Nećemo odustati“, "
                           "dodao je ministar. Kritičari su izrazili zabrinutost zbog troškova."),
    "Romanian": ("cp1250", "Premierul a declarat vineri că misiunea de pace va fi prelungită. „Nu vom renunţa”, a "
                           "adăugat ministrul. Criticii şi-au exprimat îngrijorarea faţă de costuri."),
    "Lithuanian": ("cp1257", "Ministras penktadienį pareiškė, kad taikos misija bus pratęsta. „Mes nepasiduosime“, "
                             "pridūrė jis. Kritikai išreiškė susirūpinimą dėl išlaidų."),
    "Latvian": ("cp1257", "Ministrs piektdien paziņoja, ka miera misija tiks pagarināta. „Mēs nepadosimies”, viņš "
                          "piebilda. Kritiķi pauda bažas par izmaksām."),
    "Estonian": ("cp1257", "Minister ütles reedel, et rahumissiooni pikendatakse. „Me ei anna alla”, lisas ta. "
                           "Kriitikud väljendasid muret kulude pärast."),
    "Russian": ("cp1251", "Президент заявил в пятницу, что миротворческая миссия будет продлена. «Мы не отступим», — "
                          "добавил министр. Критики выразили обеспокоенность расходами."),
    "Russian (KOI8-R)": ("koi8_r", "Президент заявил в пятницу, что миротворческая миссия будет продлена. Критики "
                                   "выразили обеспокоенность расходами."),
    "Ukrainian": ("cp1251", "Президент заявив у п'ятницю, що миротворча місія буде продовжена. «Ми не відступимо», — "
                            "додав міністр. Критики висловили занепокоєння витратами."),
    "Bulgarian": ("cp1251", "Президентът заяви в петък, че мироопазващата мисия ще бъде удължена. „Няма да "
                            "отстъпим“, добави министърът. Критиците изразиха загриженост."),
    "Greek": ("cp1253", "Ο πρόεδρος δήλωσε την Παρασκευή ότι η ειρηνευτική αποστολή θα παραταθεί. «Δεν θα "
                        "υποχωρήσουμε», πρόσθεσε ο υπουργός. Οι επικριτές εξέφρασαν ανησυχία."),
}


OTHER_SCRIPTS = {
    "Hebrew": ("cp1255", "ראש הממשלה אמר ביום שישי כי משימת השלום תוארך. \"לא נוותר\", הוסיף השר. המבקרים הביעו "
                         "דאגה מהעלויות."),
    "Arabic": ("cp1256", "قال رئيس الوزراء يوم الجمعة إن مهمة السلام ستمدد. وأضاف الوزير: لن نتراجع. وأعرب "
                         "المنتقدون عن قلقهم من التكاليف."),
    "Japanese": ("shift_jis", "首相は金曜日、平和維持活動を延長すると述べた。「我々は退かない」と大臣は付け加えた。"),
    "Chinese": ("gb18030", "总理周五表示，维和任务将延长。部长补充说：“我们不会退缩。”批评者对费用表示担忧。"),
    "Korean": ("euc_kr", "총리는 금요일 평화 유지 임무가 연장될 것이라고 말했다. 장관은 물러서지 않겠다고 덧붙였다."),
}


@pytest.mark.parametrize("repeat", [1, 8], ids=["paragraph", "article"])
@pytest.mark.parametrize("language", [*SAMPLES, *OTHER_SCRIPTS])
def test_language_reads_back_exactly(language: str, repeat: int) -> None:
    """Other scripts too: Hebrew is not taken for Greek, nor Arabic or CJK for Cyrillic."""
    encoding, paragraph = {**SAMPLES, **OTHER_SCRIPTS}[language]
    text = "\n\n".join([paragraph] * repeat) + "\n"
    assert decode_text(text.encode(encoding)) == text


def test_script_is_judged_by_words_not_by_the_whole_file() -> None:
    """A table of English headers and long URLs with a short Russian column is still Cyrillic:
    ASCII letters outnumber the Cyrillic bytes three to one, but no word mixes the two."""
    rows = ["id,url,source,text"] + [
        f'{i},https://www.example-news.com/world/2023/10/13/peacekeeping-mission-article-{i},Example News Agency,'
        f'"Мир сохранится, сказал он."' for i in range(20)]
    text = "\n".join(rows) + "\n"
    assert decode_text(text.encode("cp1251")) == text


@pytest.mark.parametrize("text", ["Result: 5 \u2014 3 \u2014 2 \u2014 1 \u2014 0.\n",
                                  "Price \u20ac 5 \u2022 item \u2022 list \u2022 more\n",
                                  "He said \u201cyes\u201d \u2014 then \u201cno\u201d \u2014 and left.\n"])
def test_punctuation_without_accented_letters(text: str) -> None:
    assert decode_text(text.encode("cp1252")) == text


def test_a_turkish_sentence_with_only_letters_icelandic_also_has() -> None:
    """ş, ı and Ş read as Windows-1252 are þ, ý and Þ: Turkish is the likelier of the two."""
    text = "Dışişleri Bakanı ise Şubat ayında Ankara'ya gidecek. \"Ateşkes şarttır\" dedi.\n"
    assert decode_text(text.encode("cp1254")) == text
