"""The engine, one invented sentence per construction: sentence -> the quotes it must yield."""
import pytest

from quotes.extract import ENGINE_VERSION, extract_quotes


def check_offsets(text, quotes):
    for q in quotes:
        assert text[q.start:q.end] == q.text
        if q.speaker is not None:
            assert text[q.speaker_start:q.speaker_end] == q.speaker
        if q.cue is not None:
            assert text[q.cue_start:q.cue_end] == q.cue
        assert q.rule


def summary(text, published=None):
    quotes = extract_quotes(text, published)
    check_offsets(text, quotes)
    return [(q.kind, q.text, q.speaker, q.speaker_name) for q in quotes]


CASES = [
    # direct quotations, each mark style and attribution order
    ("quote-comma-speaker-cue",
     "“The bridge will open in May,” Lena Brook said.",
     [("direct", "The bridge will open in May,", "Lena Brook", "Lena Brook")]),
    ("quote-cue-speaker",
     '"The bridge will open in May," said Lena Brook.',
     [("direct", "The bridge will open in May,", "Lena Brook", "Lena Brook")]),
    ("guillemets",
     "«The bridge will open in May», said Lena Brook.",
     [("direct", "The bridge will open in May", "Lena Brook", "Lena Brook")]),
    ("low-high marks",
     "„The bridge will open in May“, said Lena Brook.",
     [("direct", "The bridge will open in May", "Lena Brook", "Lena Brook")]),
    ("two apostrophes",
     "''The bridge will open in May,'' said Lena Brook.",
     [("direct", "The bridge will open in May,", "Lena Brook", "Lena Brook")]),
    ("speaker-colon-quote",
     "Lena Brook said: “The bridge will open in May.”",
     [("direct", "The bridge will open in May.", "Lena Brook", "Lena Brook")]),
    ("common noun speaker",
     "“Nobody told us,” the ferryman said.",
     [("direct", "Nobody told us,", "the ferryman", None)]),
    ("any verb after quote and pronoun",
     "Tomas Reyes arrived late. “Nobody told us,” he grumbled.",
     [("direct", "Nobody told us,", "he", "Tomas Reyes")]),
    # split and floating quotations
    ("split quote",
     "“The pier is safe,” Lena Brook said, “but the ferry is not.”",
     [("direct", "The pier is safe,", "Lena Brook", "Lena Brook"),
      ("direct", "but the ferry is not.", "Lena Brook", "Lena Brook")]),
    ("floating continuation",
     "“The pier is safe,” Lena Brook said. “The ferry is not.”",
     [("direct", "The pier is safe,", "Lena Brook", "Lena Brook"),
      ("direct", "The ferry is not.", "Lena Brook", "Lena Brook")]),
    ("attribution as its own sentence",
     "“The pier is safe.” Lena Brook said.",
     [("direct", "The pier is safe.", "Lena Brook", "Lena Brook")]),
    # reported speech
    ("speaker-cue-that",
     "Mayor Lena Brook said that the bridge will open in May.",
     [("indirect", "the bridge will open in May", "Mayor Lena Brook", "Lena Brook")]),
    ("speaker-cue without that",
     "Lena Brook warned the bridge would close.",
     [("indirect", "the bridge would close", "Lena Brook", "Lena Brook")]),
    ("content-comma-speaker-cue",
     "The bridge will open in May, Lena Brook said.",
     [("indirect", "The bridge will open in May", "Lena Brook", "Lena Brook")]),
    ("content-cue-speaker",
     "The bridge will open in May, said Lena Brook.",
     [("indirect", "The bridge will open in May", "Lena Brook", "Lena Brook")]),
    ("told addressee that",
     "Lena Brook told Harbour Radio that the bridge will open in May.",
     [("indirect", "the bridge will open in May", "Lena Brook", "Lena Brook")]),
    ("according to, leading",
     "According to the harbour authority, the bridge will open in May.",
     [("indirect", "the bridge will open in May", "the harbour authority", None)]),
    ("according to, trailing",
     "The bridge will open in May, according to Lena Brook.",
     [("indirect", "The bridge will open in May", "Lena Brook", "Lena Brook")]),
    ("appositive speaker",
     "Lena Brook, the harbour master, insisted that the pier is safe.",
     [("indirect", "the pier is safe", "Lena Brook", "Lena Brook")]),
    ("described as",
     "Lena Brook described the pier as “a relic of another age.”",
     [("direct", "a relic of another age.", "Lena Brook", "Lena Brook")]),
    ("parenthetical",
     "The pier, Lena Brook said, is safe for now.",
     [("indirect", "The pier", "Lena Brook", "Lena Brook"),
      ("indirect", "is safe for now", "Lena Brook", "Lena Brook")]),
    ("participle continues the speaker",
     "The harbour council closed the pier, saying the boards had rotted.",
     [("indirect", "the boards had rotted", "The harbour council", None)]),
    ("officials",
     "The ferry will stop running in winter, officials said.",
     [("indirect", "The ferry will stop running in winter", "officials", None)]),
    ("poll shows",
     "A new poll shows that most residents want a bridge.",
     [("indirect", "most residents want a bridge", "A new poll", None)]),
    # mixed: reported speech with quoted fragments
    ("mixed",
     "Lena Brook said the pier was “perfectly sound” and would stay open.",
     [("mixed", "the pier was “perfectly sound” and would stay open", "Lena Brook", "Lena Brook")]),
    ("headline with a colon",
     "Harbour Board: Ferry Fares Will Rise In Spring",
     [("indirect", "Ferry Fares Will Rise In Spring", "Harbour Board", "Harbour Board")]),
    ("headline in title case",
     "Mayor Lena Brook Says Pier Will Reopen",
     [("indirect", "Pier Will Reopen", "Mayor Lena Brook", "Lena Brook")]),
    ("a belief yields to the speaker after it",
     "The council wanted “a new pier by spring,” Lena Brook alleged.",
     [("mixed", "The council wanted “a new pier by spring,”", "Lena Brook", "Lena Brook")]),
    ("relative clause inside the attribution",
     "“The pier is safe,” Brook, who has proposed a new survey, said on Monday.",
     [("direct", "The pier is safe,", "Brook", "Brook"),
      ("indirect", "a new survey", "who", "Brook")]),
    ("one of several",
     "“The pier is rotten,” said one of three inspectors.",
     [("direct", "The pier is rotten,", "one of three inspectors", None)]),
    ("coordinated cue keeps the speaker",
     "Lena Brook noted that the pier is old and added that it is safe.",
     [("indirect", "the pier is old", "Lena Brook", "Lena Brook"),
      ("indirect", "it is safe", "Lena Brook", "Lena Brook")]),
    ("single straight quotes",
     "'The pier is safe,' she said.",
     [("direct", "The pier is safe,", "she", None)]),
    ("inserted source before that",
     "The Gazette reported, citing two clerks, that the pier will close.",
     [("indirect", "the pier will close", "The Gazette", "Gazette")]),
    ("quoted as saying",
     "Lena Brook was quoted by the Gazette as saying that the pier will close.",
     [("indirect", "the pier will close", "Lena Brook", "Lena Brook")]),
    ("a capitalised modifier is not the name",
     "“The pier is unsafe,” the Harbour Board mission said in a statement.",
     [("direct", "The pier is unsafe,", "the Harbour Board mission", None)]),
    # round 2: speakers
    ("a share of respondents speaks",
     "About four in 10 said the ferry fare was too high.",
     [("indirect", "the ferry fare was too high", "About four in 10", None)]),
    ("a percentage speaks",
     "Almost 40 percent said the ferry fare was too high.",
     [("indirect", "the ferry fare was too high", "Almost 40 percent", None)]),
    ("a possessive determines the speaker noun",
     "The ferry will close in winter, Lena Brook's aides said.",
     [("indirect", "The ferry will close in winter", "Lena Brook's aides", None)]),
    # round 2: attributions with no source named
    ("reportedly-names-no-speech",
     "The ferry company reportedly sold its oldest boat last winter.",
     []),
    ("a-cue-form-before-a-verb-of-its-own-is-a-noun",
     "The harbour jobs report cheered the council, and Ana Ruiz's comments were ignored.",
     []),
    # round 2: where content ends
    ("a one-word object is content; the time after it is not",
     "The ferrymen's union denied wrongdoing on Tuesday.",
     [("indirect", "wrongdoing", "The ferrymen's union", None)]),
    ("a time phrase inside the content stays",
     "Lena Brook said the vote on Tuesday was rigged.",
     [("indirect", "the vote on Tuesday was rigged", "Lena Brook", "Lena Brook")]),
    ("a venue phrase closing the clause is context",
     "Lena Brook called the fare a scandal on her radio show Thursday.",
     [("indirect", "the fare a scandal", "Lena Brook", "Lena Brook")]),
    ("'but added' begins a second report by the same speaker",
     "Lena Brook said the fare was fair but added that the boats were old.",
     [("indirect", "the fare was fair", "Lena Brook", "Lena Brook"),
      ("indirect", "the boats were old", "Lena Brook", "Lena Brook")]),
    ("the topic after a cue's preposition",
     "Lena Brook complained about the state of the harbour.",
     [("indirect", "the state of the harbour", "Lena Brook", "Lena Brook")]),
    ("a reported question keeps its 'whether'",
     "Lena Brook asked whether the ferry would run in winter.",
     [("indirect", "whether the ferry would run in winter", "Lena Brook", "Lena Brook")]),
    ("an opening clause inside the content keeps its comma",
     "Lena Brook said if the ferry stops, the island will empty.",
     [("indirect", "if the ferry stops, the island will empty", "Lena Brook", "Lena Brook")]),
    ("a 'that' inside the content's own clause",
     "Lena Brook says the fare is so high that nobody will ride.",
     [("indirect", "the fare is so high that nobody will ride", "Lena Brook", "Lena Brook")]),
    ("a refusal is no report, the participle after it is",
     "Lena Brook declined to give a date, saying the boats were not ready.",
     [("indirect", "the boats were not ready", "Lena Brook", "Lena Brook")]),
    ("a stance in a relative clause, with a noun phrase for object, reports nothing",
     "The council met Lena Brook, who opposes the new fare.",
     []),
    ("the group before 'of' speaks",
     "Members of the harbour board say the fare is too high.",
     [("indirect", "the fare is too high", "Members of the harbour board", None)]),
    ("'according to' after a short lead-in: the report follows",
     "In addition, according to the port, the night ferry will stop in May.",
     [("indirect", "the night ferry will stop in May", "the port", None)]),
    ("a signature after a dash",
     "“The ferry is late again.” ― Lena Brook",
     [("direct", "The ferry is late again.", "Lena Brook", "Lena Brook")]),
    ("', arguing that' ends the report before it",
     "Lena Brook said the fare was unfair, arguing that the boats were old.",
     [("indirect", "the fare was unfair", "Lena Brook", "Lena Brook"),
      ("indirect", "the boats were old", "Lena Brook", "Lena Brook")]),
    ("a pronoun run into its auxiliary",
     "Lena Brook spoke first. She’s claiming that the vote was rigged.",
     [("indirect", "the vote was rigged", "She", "Lena Brook")]),
    ("', but “...”' after the cue continues the quotation",
     "“I like the ferry,” Lena Brook said, but “the fares are a scandal.”",
     [("direct", "I like the ferry,", "Lena Brook", "Lena Brook"),
      ("mixed", "but “the fares are a scandal.”", "Lena Brook", "Lena Brook")]),
    ("the quotation is the paragraph after 'X said:'",
     "Lena Brook spoke to the council. She said:\n\n“The ferry must run in winter.”",
     [("direct", "The ferry must run in winter.", "She", "Lena Brook")]),
    ("a transcript turn: the label speaks",
     "Lena Brook spoke to the council. The transcript follows.\n\nBROOK: The ferry is late, and it is dear.",
     [("indirect", "The ferry is late, and it is dear.", "BROOK", "Brook")]),
    ("'Asked whether ...': a question with no asker named",
     "Asked whether the ferry would run, Lena Brook smiled.",
     [("indirect", "whether the ferry would run", None, None)]),
    # not speech
    ("'Asked about X, ...': a topic, not a reported question",
     "Asked about the ferry, Lena Brook said: “It will run.”",
     [("direct", "It will run.", "Lena Brook", "Lena Brook")]),
    ("a label before a colon is no source",
     "The ferry will stop in May. Plus: what the closure means for the island.",
     []),
    ("a passive participle names no speaker",
     "The ferry sank in a storm, a claim rejected by the harbour board.",
     []),
    ("a noun that looks like a cue",
     "The council held a conference call with the ferry operators.",
     []),
    ("a plural noun that looks like a cue",
     "The ferry serves the most states in the region.",
     []),
    ("scare quotes are not speech",
     "The so-called “miracle pier” opened in 1902.",
     []),
    ("a quoted title is not speech",
     "The town band played “Harbour Lights” at the opening.",
     []),
    ("apostrophes are not quotes",
     "The ferrymen’s union and the farmers' market closed on the mayor’s orders.",
     []),
    # definite descriptions: the one person the article gave that role
    ("the-role-after-a-title",
     "Minister Ana Ruiz opened the bridge. The minister said the tolls would end.",
     [("indirect", "the tolls would end", "The minister", "Ana Ruiz")]),
    ("the-role-after-an-appositive",
     "Ana Ruiz, the town's mayor, opened the bridge. The mayor added that the tolls would end.",
     [("indirect", "the tolls would end", "The mayor", "Ana Ruiz")]),
    ("the-two-word-role",
     "Harbour master Tomas Brandt closed the quay. The harbour master told reporters the ferry was late.",
     [("indirect", "the ferry was late", "The harbour master", "Tomas Brandt")]),
    ("the-role-from-a-fronted-appositive",
     "The head of the ferry line, Jan Olsen, spoke first. The head said the fares would rise.",
     [("indirect", "the fares would rise", "The head", "Jan Olsen")]),
    ("the-role-after-an-age",
     "Jan Olsen, 52, the club captain, spoke first. The captain said the fares would rise.",
     [("indirect", "the fares would rise", "The captain", "Jan Olsen")]),
    ("the-role-two-people-held-stays-unresolved",
     "Minister Ana Ruiz met Minister Omar Haddad. The minister said the tolls would end.",
     [("indirect", "the tolls would end", "The minister", None)]),
    # an unnamed source tied to a person: the source speaks
    ("sources-close-to-a-person",
     "Sources close to Jan Olsen said the fares would rise.",
     [("indirect", "the fares would rise", "Sources close to Jan Olsen", None)]),
    ("people-familiar-with-a-matter",
     "Two people familiar with the talks said the fares would rise.",
     [("indirect", "the fares would rise", "Two people familiar with the talks", None)]),
    ("a-role-learned-after-of-is-no-role",
     "Jan Olsen was elected governor of North Westmark. The governor said the fares would rise.",
     [("indirect", "the fares would rise", "The governor", None)]),
    # British and international conventions
    ("single-marks-with-nested-double",
     "Dr Kofi Mensah said: ‘The sign on the clinic says “closed” today.’",
     [("direct", "The sign on the clinic says “closed” today.", "Dr Kofi Mensah", "Kofi Mensah")]),
    ("straight-single-marks-with-nested-double",
     "Kofi Mensah said: 'The sign on the clinic says \"closed\" today.'",
     [("direct", "The sign on the clinic says \"closed\" today.", "Kofi Mensah", "Kofi Mensah")]),
    ("a-knight-by-first-name",
     "Dame Ana Ruiz opened the bridge. Dame Ana said the tolls would end.",
     [("indirect", "the tolls would end", "Dame Ana", "Ana Ruiz")]),
    ("present-tense-says-and-mr",
     "Kofi Mensah runs the clinic. Mr Mensah says the ward will reopen.",
     [("indirect", "the ward will reopen", "Mr Mensah", "Kofi Mensah")]),
    ("told-a-broadcaster-without-that",
     "Kofi Mensah told Sky News the ward would reopen.",
     [("indirect", "the ward would reopen", "Kofi Mensah", "Kofi Mensah")]),
    ("a-ministry-in-a-statement",
     "The Home Office said in a statement that the rules would change.",
     [("indirect", "the rules would change", "The Home Office", "the Home Office")]),
    ("a-spokesperson-for-an-organisation",
     "A spokesperson for the Home Office said the rules would change.",
     [("indirect", "the rules would change", "A spokesperson for the Home Office", "the Home Office")]),
    # sentence ends after an abbreviation when a sentence opener follows
    ("sentence-ends-after-an-abbreviation",
     "Ana Ruiz said the ferry would run to the U.K. She said the fares would stay low.",
     [("indirect", "the ferry would run to the U.K", "Ana Ruiz", "Ana Ruiz"),
      ("indirect", "the fares would stay low", "She", "Ana Ruiz")]),
    ("a-title-abbreviation-never-ends-it",
     "Dr. Ana Ruiz said the ward would reopen.",
     [("indirect", "the ward would reopen", "Dr. Ana Ruiz", "Ana Ruiz")]),
    # a medial attribution: what follows it is reported too
    ("medial-attribution-after-a-subject",
     "The new bridge, Ana Ruiz said, will carry twice the traffic of the old one.",
     [("indirect", "The new bridge", "Ana Ruiz", "Ana Ruiz"),
      ("indirect", "will carry twice the traffic of the old one", "Ana Ruiz", "Ana Ruiz")]),
    ("medial-attribution-then-and-a-quotation",
     "The ferry was late, Ana Ruiz said, and “nobody told the passengers.”",
     [("indirect", "The ferry was late", "Ana Ruiz", "Ana Ruiz"),
      ("mixed", "and “nobody told the passengers.”", "Ana Ruiz", "Ana Ruiz")]),
    ("medial-attribution-then-a-reason",
     "The ferry ran well, Ana Ruiz said, until the storm broke its hull.",
     [("indirect", "The ferry ran well", "Ana Ruiz", "Ana Ruiz"),
      ("indirect", "until the storm broke its hull", "Ana Ruiz", "Ana Ruiz")]),
    ("medial-attribution-then-and-still-a-quotation",
     "The pilots “kept their jobs,” Ana Ruiz said, and still “got a bonus.”",
     [("mixed", "The pilots “kept their jobs,”", "Ana Ruiz", "Ana Ruiz"),
      ("mixed", "and still “got a bonus.”", "Ana Ruiz", "Ana Ruiz")]),
    ("medial-attribution-then-a-circumstance",
     "The ferry was late, Ana Ruiz said, speaking at the harbour.",
     [("indirect", "The ferry was late", "Ana Ruiz", "Ana Ruiz")]),
    # a speaker no pattern reads, held between the quotation and its cue
    ("speaker-between-quotation-and-cue",
     "“The tide is turning,” the Lisbon harbour master said.",
     [("direct", "The tide is turning,", "the Lisbon harbour master", None)]),
    ("speaker-with-an-organisation-between-quotation-and-cue",
     "“The tide is turning,” Ms. Ruiz of the Harbour Trust said.",
     [("direct", "The tide is turning,", "Ms. Ruiz of the Harbour Trust", "Ruiz")]),
    ("speaker-after-the-cue-to-the-end",
     "“The tide is turning,” said 24/7 ferry pilot Ana Ruiz.",
     [("direct", "The tide is turning,", "24/7 ferry pilot Ana Ruiz", "Ana Ruiz")]),
    ("a-scare-quote-inside-the-sentence-hands-over-to-no-one",
     "After the launch went well, the “Avalon” star posted a lengthy message.",
     []),
    # a long subject that opens the sentence
    ("subject-with-a-prepositional-phrase",
     "Experts on river shipping and canal tolls said the fees would double.",
     [("indirect", "the fees would double", "Experts on river shipping and canal tolls", None)]),
    ("subject-with-an-age-a-place-and-a-relative-clause",
     "Ana Ruiz, 58, of Braga, who runs the ferry, said the fees would double.",
     [("indirect", "the fees would double", "Ana Ruiz", "Ana Ruiz")]),
    ("subject-with-a-dash-appositive",
     "Ruiz -- a ferry pilot for thirty years -- said the fees would double.",
     [("indirect", "the fees would double", "Ruiz", "Ruiz")]),
    ("two-named-people-joined-by-and",
     "Ana Ruiz and Tomas Reyes say the fees would double.",
     [("indirect", "the fees would double", "Ana Ruiz and Tomas Reyes", "Ana Ruiz and Tomas Reyes")]),
    ("reported-content-ends-at-a-typed-dash",
     "Ana Ruiz said the ferry was late -- the third time this week.",
     [("indirect", "the ferry was late", "Ana Ruiz", "Ana Ruiz")]),
    ("another-named-clause-ends-the-report",
     "Ana Ruiz has vowed to cut the fares, and Tomas Reyes is promising new ferries.",
     [("indirect", "to cut the fares", "Ana Ruiz", "Ana Ruiz"),
      ("indirect", "new ferries", "Tomas Reyes", "Tomas Reyes")]),
    ("title-case-headline-with-a-speaker-and-a-colon",
     "Ana Ruiz: Harbour Pilots Worried About Winter Storms",
     [("indirect", "Harbour Pilots Worried About Winter Storms", "Ana Ruiz", "Ana Ruiz")]),
    ("documents-as-the-source",
     "Court filings show that the harbour board hid the survey.",
     [("indirect", "the harbour board hid the survey", "Court filings", None)]),
    ("a-plan-reported-like-speech",
     "Ana Ruiz pointed to the storm damage as the reason for the delay.",
     [("indirect", "the storm damage as the reason for the delay", "Ana Ruiz", "Ana Ruiz")]),
    ("voiced-concern-that",
     "Tomas Reyes voiced concern that the ferry would stop in winter.",
     [("indirect", "the ferry would stop in winter", "Tomas Reyes", "Tomas Reyes")]),
    ("a-chant-next-to-its-quotation",
     "“Nobody asked us,” the pilots chanted.",
     [("direct", "Nobody asked us,", "the pilots", None)]),
    ("according-to-over-an-attribution-inside-the-report",
     "Most islanders say the ferry is too dear, according to the survey.",
     [("indirect", "Most islanders say the ferry is too dear", "the survey", None),
      ("indirect", "the ferry is too dear", "Most islanders", None)]),
    ("a-capitals-kicker-then-name-colon-quotation",
     "FERRY PILOTS WARN OF WINTER - Ana Ruiz: “The islanders will pay for the storm.”",
     [("direct", "The islanders will pay for the storm.", "Ana Ruiz", "Ana Ruiz")]),
    ("a-clause-between-commas-is-no-appositive",
     "The talks went badly for the islanders, and the meeting ended early, said one harbour official.",
     [("indirect", "The talks went badly for the islanders, and the meeting ended early",
       "one harbour official", None)]),
    ("a-time-phrase-between-speaker-and-cue",
     "The board met Ana Ruiz, who in 2019 said the harbour was too small.",
     [("indirect", "the harbour was too small", "who", "Ana Ruiz")]),
    ("told-a-programme-named-in-quotation-marks",
     "Ana Ruiz told Radio Meridian’s “Morning Tide” that the fares would fall.",
     [("indirect", "the fares would fall", "Ana Ruiz", "Ana Ruiz")]),
    ("another-speaker-after-and",
     "Ana Ruiz said the storm had closed the port and lawyers accused the board of delay.",
     [("indirect", "the storm had closed the port", "Ana Ruiz", "Ana Ruiz"),
      ("indirect", "the board of delay", "lawyers", None)]),
    ("and-when-starts-the-writer-s-sentence",
     "Ana Ruiz said the fares would fall, and when asked about the ferries, she shrugged.",
     [("indirect", "the fares would fall", "Ana Ruiz", "Ana Ruiz")]),
    ("went-after-as-a-stance",
     "Ana Ruiz went after the harbour board as “asleep at the wheel.”",
     [("mixed", "the harbour board as “asleep at the wheel.”", "Ana Ruiz", "Ana Ruiz")]),
    ("a-quotation-ending-in-a-comma-then-but-he",
     "Ana Ruiz is promising cheaper fares and “ferries, ferries, ferries,” but she has also raised the port tax.",
     [("mixed", "cheaper fares and “ferries, ferries, ferries,”", "Ana Ruiz", "Ana Ruiz")]),
    ("a-statement-saying-that",
     "The harbour board issued a statement on Friday saying that the ferry would run all winter.",
     [("indirect", "the ferry would run all winter", "The harbour board", None)]),
    ("ruled-that",
     "The court ruled that the harbour board had broken the law.",
     [("indirect", "the harbour board had broken the law", "The court", None)]),
    ("the-main-clause-after-an-opening-one-ends-the-report",
     "Though Ana Ruiz called for lower fares, Tomas Reyes kept the port tax.",
     [("indirect", "lower fares", "Ana Ruiz", "Ana Ruiz")]),
    ("a-document-a-possessive-gives-an-author-speaks-for-them",
     "Ana Ruiz resigned on Tuesday. Her statement said the port had been misled.",
     [("indirect", "the port had been misled", "Her statement", "Ana Ruiz")]),
    ("a-participle-after-an-opening-venue-is-no-cue",
     "In a video posted Friday, Ana Ruiz said the ferry would run again.",
     [("indirect", "the ferry would run again", "Ana Ruiz", "Ana Ruiz")]),
    ("reported-speech-by-a-pronoun-that-names-no-one-is-dropped",
     "She said the tide was turning, and they say the port will close.",
     []),
    ("a-quotation-by-a-pronoun-that-names-no-one-keeps-its-words",
     "“The tide is turning,” she said.",
     [("direct", "The tide is turning,", "she", None)]),
    ("the-main-clause-after-an-opening-one-ends-the-report-whoever-its-subject",
     "While the harbour master said the pier was safe, his deputy closed it.",
     [("indirect", "the pier was safe", "the harbour master", None)]),
    ("an-absolute-phrase-inside-the-report",
     "Ana Ruiz said that, storms aside, Tomas Reyes had never been late.",
     [("indirect", "storms aside, Tomas Reyes had never been late", "Ana Ruiz", "Ana Ruiz")]),
    ("told-an-addressee-then-a-time",
     "Ana Ruiz told reporters this weekend the ferry would run all winter.",
     [("indirect", "the ferry would run all winter", "Ana Ruiz", "Ana Ruiz")]),
    ("a-name-given-is-no-report",
     "The harbour was sold to a company run by a man named Tomas Reyes.",
     []),
    ("a-phrasal-verb-reports-nothing",
     "Ana Ruiz showed up at the harbour.",
     []),
    ("a-share-of-people-say",
     "A mere 9 percent say they would take the ferry.",
     [("indirect", "they would take the ferry", "9 percent", None)]),
    ("others-say-this",
     "Others say this is only a rough patch for the port.",
     [("indirect", "this is only a rough patch for the port", "Others", None)]),
    ("aides-to-a-person-say",
     "Aides to Ana Ruiz say she will run again.",
     [("indirect", "she will run again", "Aides to Ana Ruiz", None)]),
    ("a-parenthetical-appositive-before-the-cue",
     "Ana Ruiz (a pilot so young she was taken for a trainee) says the tide is turning.",
     [("indirect", "the tide is turning", "Ana Ruiz", "Ana Ruiz")]),
    ("a-participle-lead-in-then-the-subject",
     "Reached by phone on Tuesday, Ana Ruiz — who runs the ferry — told the Coast Gazette she would run again.",
     [("indirect", "she would run again", "Ana Ruiz", "Ana Ruiz")]),
    # where the report ends: a tail that elaborates what was said is part of it
    ("a-lone-dash-elaboration-is-part-of-the-report",
     "Ana Ruiz said the ferry had been overloaded — something a deckhand also told the inquiry.",
     [("indirect", "the ferry had been overloaded — something a deckhand also told the inquiry",
       "Ana Ruiz", "Ana Ruiz")]),
    ("a-dash-comment-with-a-is-the-writers",
     "Ana Ruiz said the port had overpaid for the crane — a problem made worse by the strike.",
     [("indirect", "the port had overpaid for the crane", "Ana Ruiz", "Ana Ruiz")]),
    ("a-dash-aside-ends-the-report-where-it-opens",
     "Ana Ruiz said the two oldest ferries — both built in 1961 — would be sold.",
     [("indirect", "the two oldest ferries", "Ana Ruiz", "Ana Ruiz")]),
    ("which-after-a-reported-clause-is-part-of-it",
     "Ana Ruiz said the crane would cost $9 million, which is twice what the board had planned.",
     [("indirect", "the crane would cost $9 million, which is twice what the board had planned",
       "Ana Ruiz", "Ana Ruiz")]),
    ("which-after-a-bare-object-is-the-writers",
     "Polls show a close race in the county, where 40,000 ballots are still to be counted.",
     [("indirect", "a close race in the county", "Polls", None)]),
    ("which-with-a-report-of-its-own-ends-the-report",
     "Ana Ruiz said the tax would fall on the fishermen, which the union says is unfair.",
     [("indirect", "the tax would fall on the fishermen", "Ana Ruiz", "Ana Ruiz"),
      ("indirect", "is unfair", "the union", None)]),
    ("and-another-source-reports-ends-the-report",
     "Ana Ruiz noted that the ferry was late, and port officials warned that the channel was silting up.",
     [("indirect", "the ferry was late", "Ana Ruiz", "Ana Ruiz"),
      ("indirect", "the channel was silting up", "port officials", None)]),
    ("in-one-poll-is-a-source",
     "In a Harbour Gazette poll, 61% of the islanders backed the new ferry.",
     [("indirect", "61% of the islanders backed the new ferry", "a Harbour Gazette poll", None)]),
    ("in-the-polls-is-a-standing",
     "Ana Ruiz has soared in the polls since the ferry strike began.",
     []),
    ("an-opening-adverb-is-no-subject-of-a-later-cue",
     "Rather, he would lower every fare and promised that the pier would reopen.",
     []),
    ("a-thing-is-no-subject-of-a-later-cue",
     "The tone of the speech was severe and echoed the fears of the fishermen.",
     []),
    ("a-person-opening-the-sentence-is-the-subject-of-a-later-cue",
     "The nurse later sued the port, claiming the quarantine had been unlawful.",
     [("indirect", "the quarantine had been unlawful", "The nurse", None)]),
    ("a-thing-called-a-name-is-naming",
     "The game uses a small white ball called the jack.",
     []),
    ("a-group-called-a-name-is-naming",
     "He joined a rowing club called the Saltmere Oarsmen.",
     []),
    ("a-speaker-who-called-something-something-speaks",
     "A port spokesman called the claims false.",
     [("indirect", "the claims false", "A port spokesman", None)]),
    ("a-statement-someone-issued-speaks-for-them",
     "Harbour master Ana Ruiz issued a statement saying that the pier would reopen.",
     [("indirect", "the pier would reopen", "Harbour master Ana Ruiz", "Ana Ruiz")]),
    ("a-person-who-found-a-way-reports-nothing",
     "Ana Ruiz found a way through the harbour rules.",
     []),
    ("a-poll-that-found-an-object-reports-it",
     "A new harbour poll found Ana Ruiz with 46 percent.",
     [("indirect", "Ana Ruiz with 46 percent", "A new harbour poll", None)]),
    ("a-person-who-found-that-reports-a-clause",
     "The inspector found that the pier was unsafe.",
     [("indirect", "the pier was unsafe", "The inspector", None)]),
    ("a-name-alone-after-an-act-is-no-content",
     "The council confirmed Ana Ruiz by a vote of 9 to 2.",
     []),
    ("a-name-with-more-said-of-it-is-content",
     "A harbour poll shows Ana Ruiz with 47 percent.",
     [("indirect", "Ana Ruiz with 47 percent", "A harbour poll", None)]),
    ("an-adjective-in-ed-after-a-verb-is-no-cue",
     "The ledger contained detailed accounts of every crossing.",
     []),
    ("a-plural-after-a-possessive-and-a-gerund-is-a-noun",
     "His marching orders came from the harbour board.",
     []),
    ("an-opening-adverb-is-no-speaker",
     "Previously detailed by the Coast Gazette, the plan is vast.",
     []),
    # groups of people as speakers
    ("two-groups-joined-by-and",
     "Dock workers and their lobbyists say the port will close.",
     [("indirect", "the port will close", "Dock workers and their lobbyists", None)]),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_construction(name, text, expected):
    assert summary(text) == expected


@pytest.mark.parametrize("text,speakers", [
    ("Prime Minister Ana May said the deal was done. Ms. May said it would pass.",
     [("Prime Minister Ana May", "Ana May"), ("Ms. May", "Ana May")]),
    ("The singer Will Tarrant said the tour was over.", [("The singer Will Tarrant", "Will Tarrant")]),
    ("June Tarrant said the tour was over. In May Tarrant said she would sing again.",
     [("June Tarrant", "June Tarrant"), ("Tarrant", "June Tarrant")]),
    ("Tomas Reyes may say the tour was over.", [("Tomas Reyes", "Tomas Reyes")]),
])
def test_a_month_or_modal_that_is_a_name_stays_in_the_name(text, speakers):
    assert [(q.speaker, q.speaker_name) for q in extract_quotes(text)] == speakers


@pytest.mark.parametrize("text,speakers", [
    ("Andre Tull runs the comic shop on Main Street. “It is my whole life,” says the bow-tied maverick.",
     [("the bow-tied maverick", "Andre Tull")]),
    # an appositive name after the description is the speaker, the description its role
    ("“We print every Friday,” says Tull’s partner, Jason Louth.", [("Jason Louth", "Jason Louth")]),
    # a person described by where they are from is not that place
    ("“We saw the wounded,” says a doctor from Saltmere. “They came at night,” he says.",
     [("a doctor from Saltmere", None), ("he", None)]),
    ("Jan Olsen, the head of the Harbour Board, spoke first. “We are ready,” said the head of the Harbour Board.",
     [("the head of the Harbour Board", "Jan Olsen")]),
    # "they" stands for people, not for documents
    ("Ana Ruiz spoke to the court. Their testimonies were read out. “We saw him,” they testified.",
     [("they", None)]),
    # a party label is the role, not part of the name; an organisation's name keeps it
    ("Republican Ana Ruiz said the pier was safe.", [("Republican Ana Ruiz", "Ana Ruiz")]),
    ("The council met, according to a Democrat familiar with the talks.",
     [("a Democrat familiar with the talks", None)]),
    ("The Democratic Harbour Committee said the pier was safe.",
     [("The Democratic Harbour Committee", "the Democratic Harbour Committee")]),
    # a place and a role before the name, after the cue
    ("“Every publisher turned me down,” says Cambridge cartoonist Andre Tull.",
     [("Cambridge cartoonist Andre Tull", "Andre Tull")]),
    # away from a quotation a description is as often someone, or something, new
    ("Andre Tull runs the comic shop. The retired printer says the shop will close.",
     [("The retired printer", None)]),
])
def test_a_features_epithet_after_a_quotation_is_the_person_last_named(text, speakers):
    assert [(q.speaker, q.speaker_name) for q in extract_quotes(text)] == speakers


def test_a_quoted_subhead_on_its_own_line_is_no_ones_speech():
    text = ("“The pier will hold,” said Ana Ruiz.\n\n‘Legend of the Harbour Front.’\n\n"
            "“Neither do I.”\n\n(CROSSTALK.)")
    assert [(q.text, q.speaker_name) for q in extract_quotes(text)] == [
        ("The pier will hold,", "Ana Ruiz"), ("Neither do I.", "Ana Ruiz")]


def test_pronoun_resolves_to_the_fullest_name_used_earlier():
    text = ("Harbour master Lena Brook inspected the pier on Monday.\n"
            "“It will stand another century,” she said.\n"
            "Brook added that repairs would cost little.")
    got = summary(text)
    assert got == [("direct", "It will stand another century,", "she", "Lena Brook"),
                   ("indirect", "repairs would cost little", "Brook", "Lena Brook")]


def test_relative_pronoun_speaker_names_its_antecedent():
    text = "The plan was backed by Lena Brook, who said the pier must be saved."
    assert summary(text) == [("indirect", "the pier must be saved", "who", "Lena Brook")]


@pytest.mark.parametrize("text,name,role", [
    ("Priya Patel spoke first. Ms Patel, the home secretary, insisted that the plan was fair.",
     "Priya Patel", "home secretary"),
    ("Dr Kofi Mensah said the ward was full.", "Kofi Mensah", None),
    ("Mr Tomas Brandt, a harbour master, said the quay was shut.", "Tomas Brandt", "harbour master"),
    ("The ferry line's owner, Jan Olsen, said the fares would rise.", "Jan Olsen", "ferry line's owner"),
    ("“The fares will rise,” said Jan Olsen, the owner of the ferry line.", "Jan Olsen",
     "owner of the ferry line"),
    ("The day after, Jan Olsen said the fares would rise.", "Jan Olsen", None),
])
def test_honorifics_are_no_roles_and_the_appositive_is(text, name, role):
    q = extract_quotes(text)[-1]
    assert (q.speaker_name, q.role) == (name, role)


def test_role_is_kept_apart_from_the_name():
    q = extract_quotes("Port authority chief Lena Brook said the pier is safe.")[0]
    assert (q.speaker_name, q.role) == ("Lena Brook", "Port authority chief")


def test_the_age_resolves_to_the_one_person_given_it():
    text = "Lena Brook, 52, runs the ferry. The 52-year-old said the pier is safe."
    q = extract_quotes(text)[0]
    assert (q.speaker, q.speaker_name) == ("The 52-year-old", "Lena Brook")


def test_an_age_two_people_share_resolves_to_no_one():
    text = "Lena Brook, 52, and Tomas Reyes, 52, run the ferry. The 52-year-old said the pier is safe."
    assert extract_quotes(text)[0].speaker_name is None


def test_unresolvable_pronoun_is_none_not_he():
    q = extract_quotes("“The pier is safe,” he said.")[0]
    assert q.speaker == "he" and q.speaker_name is None


@pytest.mark.parametrize("text,field,value", [
    ("Lena Brook told Harbour Radio that the pier is safe.", "addressee", "Harbour Radio"),
    ("In an interview with the Coast Gazette, Lena Brook said the pier is safe.", "addressee", "Coast Gazette"),
    ("Lena Brook said at a press-conference that the pier is safe.", "venue", "press conference"),
    ("Lena Brook said in a statement that the pier is safe.", "venue", "statement"),
    ("Speaking from Lisbon, Lena Brook said the pier is safe.", "place", "Lisbon"),
    ("Lena Brook said on Tuesday that the pier is safe.", "date", "2024-03-05"),
    ("Lena Brook said yesterday that the pier is safe.", "date", "2024-03-06"),
    ("Lena Brook said Tuesday the pier is safe.", "date", "2024-03-05"),
    ("Speaking to reporters in Lisbon, Lena Brook said the pier is safe.", "addressee", "reporters"),
    ("Speaking to reporters in Lisbon, Lena Brook said the pier is safe.", "place", "Lisbon"),
    ("Lena Brook told the BBC the pier is safe.", "addressee", "BBC"),
    ("Lena Brook told a news conference that the pier is safe.", "venue", "press conference"),
    ("Lena Brook told a news conference that the pier is safe.", "addressee", None),
    ("Lena Brook told Radio 4's Morning programme that the pier is safe.", "addressee",
     "Radio 4's Morning programme"),
    ("Lena Brook told Channel 9 News that the pier is safe.", "addressee", "Channel 9 News"),
    ("Lena Brook wrote in the Coast Gazette that the pier is safe.", "addressee", "Coast Gazette"),
    ("Lena Brook wrote in the Coast Gazette that the pier is safe.", "place", None),
    ("Speaking in Saturday’s debate, Lena Brook said the pier is safe.", "place", None),
    ("Lena Brook, who drew praise from Democrats in Lisbon, said the pier is safe.", "place", "Lisbon"),
    ("Lena Brook, who took over from Mr. Ruiz in Lisbon, said the pier is safe.", "place", "Lisbon"),
])
def test_context(text, field, value):
    q = extract_quotes(text, published="2024-03-07")[0]
    assert getattr(q, field) == value
    assert q.kind == "indirect" and q.text == "the pier is safe"


def test_date_needs_a_publication_date():
    assert extract_quotes("Lena Brook said on Tuesday that the pier is safe.")[0].date is None


def test_cue_is_recorded_with_its_offsets():
    text = "The pier is safe, Lena Brook insisted."
    q = extract_quotes(text)[0]
    assert (q.cue, q.rule) == ("insisted", "content-speaker-cue")
    assert text[q.cue_start:q.cue_end] == "insisted"


def test_unbalanced_mark_does_not_spoil_the_next_paragraph():
    text = "The mayor said “we will rebuild.\n“The ferry runs at noon,” a clerk said."
    got = summary(text)
    assert ("direct", "The ferry runs at noon,", "a clerk", None) in got


@pytest.mark.parametrize("text", ["", " ", "“", "\"\"\"", "said", "“”,” he said", "\n\n“a\n“b\n", "according to"])
def test_degenerate_text_never_raises(text):
    check_offsets(text, extract_quotes(text))


def test_engine_version_is_set():
    assert ENGINE_VERSION and ENGINE_VERSION[0].isdigit()


def test_she_skips_a_man_the_article_has_called_he():
    text = "Spokeswoman Ann Brook met Tom Vale on Monday. Vale said he would resign. “It is over,” she said."
    got = summary(text)
    assert got[-1] == ("direct", "It is over,", "she", "Ann Brook")
    assert got[0][3] == "Tom Vale"


def test_she_skips_a_man_known_by_his_first_name():
    text = "Anne Marie Cerato hired Patrick Bardos in May. “It was the right call,” she said."
    assert summary(text)[-1] == ("direct", "It was the right call,", "she", "Anne Marie Cerato")


def test_a_womans_title_says_nothing_of_a_man_of_her_surname():
    text = "Mrs. Vale spoke first. Later Tom Vale arrived. “We are done,” he said."
    assert summary(text)[-1][3] == "Tom Vale"


def test_a_quotation_over_paragraphs_takes_the_speaker_named_at_its_end():
    text = ("The harbour master spoke at length.\n"
            "“We have inspected every plank this winter.\n"
            "“We found rot and we will close it,” Lena Brook said.")
    got = summary(text)
    assert got == [("direct", "We have inspected every plank this winter.", "Lena Brook", "Lena Brook"),
                   ("direct", "We found rot and we will close it,", "Lena Brook", "Lena Brook")]


def test_they_resolves_to_the_group_last_named():
    text = "The protesters marched to the town hall on Monday. They said the new fares were unfair."
    got = summary(text)
    assert got == [("indirect", "the new fares were unfair", "They", "The protesters")]


def test_a_stance_verb_after_a_quotation_takes_no_speaker_from_behind_it():
    """ “...,” portrayed X as ...: X is what is portrayed, not who speaks (unlike “...,” said X)."""
    speakers = {q[2] for q in summary("Ana Ruiz, who has called the fees “a scandal,” portrayed the harbour "
                                      "board as asleep.")}
    assert "the harbour board" not in speakers
    assert "harbour board" not in speakers


# Reported speech is an act of saying with content (issue 10): each form of content a cue may
# take, and the acts and stances that report nothing.
SPEECH_CONTENT = [
    ("a finite clause with no 'that'", "Lena Brook said the economy needs a new port.",
     ("the economy needs a new port", "Lena Brook")),
    ("a reported question", "Lena Brook asked whether the pier was safe.",
     ("whether the pier was safe", "Lena Brook")),
    ("an infinitive after a promise", "Lena Brook vowed to rebuild the pier.",
     ("to rebuild the pier", "Lena Brook")),
    ("an infinitive after urging, its addressee first", "Lena Brook advised the fishermen to stay ashore.",
     ("the fishermen to stay ashore", "Lena Brook")),
    ("an object that is what was said: detail", "Lena Brook detailed instances of repeat voting.",
     ("instances of repeat voting", "Lena Brook")),
    ("an object that is what was said: attribute", "Lena Brook attributed the delays to the storm.",
     ("the delays to the storm", "Lena Brook")),
    ("describe ... as", "Lena Brook described the vote as a farce.", ("a farce", "Lena Brook")),
    ("call for", "Lena Brook called for a recount.", ("a recount", "Lena Brook")),
    ("a poll shows", "Polls show a close race in the harbour district.",
     ("a close race in the harbour district", "Polls")),
    ("a reproach with its reason", "Lena Brook criticized the council for its delays.",
     ("the council for its delays", "Lena Brook")),
    ("a quotation in the content", "Lena Brook says the ferry is “a floating ruin”.",
     ("the ferry is “a floating ruin”", "Lena Brook")),
    ("a clause whose subject is a number word", "Officials said the two raised $3 million for the pier.",
     ("the two raised $3 million for the pier", "Officials")),
    ("a clause whose subject has a relative clause", "Lena Brook said the man who lost his boat would be paid.",
     ("the man who lost his boat would be paid", "Lena Brook")),
    ("a percent sign ends the content with its number", "The agency said the catch fell to about 67%.",
     ("the catch fell to about 67%", "The agency")),
    ("a list of that-clauses is one report",
     "Officials said that 41 boats sank during the storm, that 6 crews were rescued and that the port would reopen.",
     ("41 boats sank during the storm, that 6 crews were rescued and that the port would reopen", "Officials")),
    ("a report inside 'according to' is its own speaker's",
     "According to the harbour master, the inspector demanded that the pier be closed.",
     ("the pier be closed", "the inspector")),
    ("a clause opening with a plural noun and its plain verb",
     "Local skippers say quotas remain too low for the small boats.",
     ("quotas remain too low for the small boats", "Local skippers")),
    ("a clause with a contracted verb after an adverb", "But Ana Ruiz says too often, that’s not happening.",
     ("too often, that’s not happening", "Ana Ruiz")),
    ("a reproach and its reason", "Lena Brook attacked the mayor for closing the pier.",
     ("the mayor for closing the pier", "Lena Brook")),
]


@pytest.mark.parametrize("name,text,expected", SPEECH_CONTENT, ids=[c[0] for c in SPEECH_CONTENT])
def test_speech_with_content_is_reported(name, text, expected):
    assert [(q.text, q.speaker) for q in extract_quotes(text)] == [expected]


NOT_SPEECH = [
    ("an attack on a person", "Lena Brook attacked the judge on Monday."),
    ("a deal agreed", "The council agreed a deal with the union."),
    ("help offered", "The mayor offered help to the fishermen."),
    ("a plan rejected", "Lena Brook rejected the plan."),
    ("a refusal", "The council declined to comment."),
    ("a bankruptcy declared", "The ferry company declared bankruptcy in May."),
    ("an endorsement", "The ferrymen's union endorsed Lena Brook on Tuesday."),
    ("a book written", "Tomas Reyes wrote his first book in Lisbon."),
    ("an object with an adjective in -ed", "The council unveiled a list of 95 retired skippers and their boats."),
    ("an object with a relative clause", "The port unveiled a plan for the harbour that would double its berths."),
    ("an object with its purpose", "The mayor offered a grant for the fishermen to repair their boats."),
    ("a relative clause's act before the sentence's own report",
     "Ana Ruiz, who wrote for the harbour board's newsletter, was re-elected."),
    ("a clause that belongs to a participle after the object",
     "The chair concluded the hearing by thanking the crews who had worked all night."),
    ("questions taken", "The candidates took questions from fishermen invited to the hall."),
    ("questions faced", "Both ferry owners face questions about their safety records."),
    ("reports read", "Lena Brook scrutinized reports like the harbour survey of 2019."),
]


@pytest.mark.parametrize("name,text", NOT_SPEECH, ids=[c[0] for c in NOT_SPEECH])
def test_an_act_with_a_noun_phrase_object_reports_nothing(name, text):
    assert extract_quotes(text, include_stance=True) == []


STANCES = [
    ("a belief", "Lena Brook believes the ferry can be saved.", ("the ferry can be saved", "Lena Brook")),
    ("a plan", "Lena Brook plans to sell the oldest ferry.", ("to sell the oldest ferry", "Lena Brook")),
    ("a wish", "Tomas Reyes wants a new ferry.", ("a new ferry", "Tomas Reyes")),
    ("an expectation", "Analysts expect the port to lose money.", ("the port to lose money", "Analysts")),
    ("a perception", "Tomas Reyes saw the storm coming.", ("the storm coming", "Tomas Reyes")),
    ("is expected to, nobody named", "The ferry is widely expected to close before the winter storms.",
     ("to close before the winter storms", None)),
    ("seemed to, nobody named", "The harbour master seemed to ignore the storm warning.",
     ("to ignore the storm warning", None)),
    ("an agreement", "The pilots agreed that the channel was too shallow.",
     ("the channel was too shallow", "The pilots")),
    ("a refusal", "Tomas Reyes refused to sell the oldest ferry.", ("to sell the oldest ferry", "Tomas Reyes")),
    ("a feeling expressed", "The fishermen expressed concern that the tax would ruin them.",
     ("the tax would ruin them", "The fishermen")),
    ("a sourced plan wins over 'reportedly'", "The ferry company reportedly plans to sell its oldest boat.",
     ("to sell its oldest boat", "The ferry company")),
]


@pytest.mark.parametrize("name,text,expected", STANCES, ids=[c[0] for c in STANCES])
def test_beliefs_wishes_plans_and_perceptions_are_stances_kept_only_on_request(name, text, expected):
    assert extract_quotes(text) == []
    quotes = extract_quotes(text, include_stance=True)
    assert [(q.text, q.speaker) for q in quotes] == [expected]
    assert all(q.to_dict()["stance"] is True for q in quotes)


def test_a_stance_with_quoted_words_is_still_a_quote():
    quotes = extract_quotes("Lena Brook believes the ferry is “a floating ruin”.")
    assert [(q.kind, q.speaker) for q in quotes] == [("mixed", "Lena Brook")]


# Page furniture gives no quote and no speaker, and its names are not learnt (issue 10).
FURNITURE = [
    ("a link line", "READ MORE: Harbour wall to be rebuilt, mayor says"),
    ("a continuation label", "Article Continued Below"),
    ("a caption with its credit", "Tomas Reyes / The Canadian Press Lena Brook at the harbour on Monday."),
    ("a caption credit after via", "Jan Olsen / PA Images via Getty Images Lena Brook at the pier."),
    ("a prompt", "Sign up for our newsletter"),
]


@pytest.mark.parametrize("name,line", FURNITURE, ids=[c[0] for c in FURNITURE])
def test_page_furniture_gives_no_quote_and_no_name(name, line):
    from quotes.extract.furniture import is_furniture

    assert is_furniture(line, 0, len(line))
    text = line + "\n\nThe harbour master Jan Olsen said the pier was safe.\n\n“It will hold,” Brook said."
    quotes = extract_quotes(text)
    assert all(q.start > len(line) for q in quotes)
    assert "Lena Brook" not in {q.speaker_name for q in quotes}  # the caption's name is not learnt


@pytest.mark.parametrize("line", [
    "The Reuters/Ipsos poll showed Lena Brook ahead by three points.",
    "LONDON (Reuters) – Lena Brook said on Friday the pier would reopen.",
    "Read more: “We will rebuild it,” Lena Brook said.",
])
def test_story_lines_that_look_like_furniture_are_read(line):
    from quotes.extract.furniture import is_furniture

    assert not is_furniture(line, 0, len(line))


NAMES = [
    ("a preposition opening the sentence is no part of the name",
     "Lena Brook met the crews. Besides Brook, who is 52, Tomas Reyes said the pier was safe.",
     "Tomas Reyes"),
    ("a member of parliament's title and party are kept out of the name",
     "Nova Scotia Liberal MP Sean Fraser said the wharf would be rebuilt.", "Sean Fraser"),
    ("a title before the name is kept out of it",
     "Organizer Dwayne Croteau said the march would go ahead.", "Dwayne Croteau"),
    ("a role with 'of' keeps its object", "U.S. Secretary of State Mike Pompeo said the talks would go on.",
     "Mike Pompeo"),
    ("a first name alone is the one person of that first name",
     "Jordan Stewart, the captain, met the coach. “We will play on,” Jordan said.", "Jordan Stewart"),
    ("an affiliation with 'of the' before the role and the name is no name",
     "“The tide is turning,” University of the North Coast marine biologist Ines Calder said.", "Ines Calder"),
    ("an appositive role whose object is a list of fields",
     "Omar Haddad, Minister of Fisheries, Oceans and Coastal Affairs, said the quota would rise.", "Omar Haddad"),
    ("two appositives in a row",
     "Ana Ruiz, the port director of Vigo, a member of the fisheries board, said the quota would rise.", "Ana Ruiz"),
    ("a title glued to an opening quotation mark is the role a later 'the mayor' looks up",
     "Residents wrote: “Mayor Calder’s claims are wrong.” Paul Calder won in May.\n\n"
     "The mayor said the rink would close.", "Paul Calder"),
    ("an organisation introduced by its kind is a later 'the firm'",
     "Hackers used a flaw, security firm Norvale Labs said. The security firm said the flaw was patched.",
     "Norvale Labs"),
    ("a kind given in an appositive counts too",
     "Brightwell, the media buying company, met the board. The company said ads would move.", "Brightwell"),
    ("a kind introduced only later is no antecedent",
     "The firm said the flaw was patched. Later, security firm Norvale Labs agreed.", None),
    ("a description's organisation word finds the one name that holds it",
     "Northern Coast Railway ran the line. The Calgary-based railway said winter was hard.",
     "Northern Coast Railway"),
    ("a name cut out of a longer one is not what a description finds",
     "The Securities and Exchange Commission met. The commission said the rules would stand.", None),
    ("an acronym given in brackets stands for the full name",
     "Officers of the Royal Harbour Police (RHP) arrived. The RHP said the pier was closed.",
     "the Royal Harbour Police"),
    ("a sentence opening with 'He' keeps its person nearest, whoever it names after",
     "Tom Vale spoke. He said the dairy, run by his friend Martin Legere, gave work. "
     "“It was good,” he said.", "Tom Vale"),
    ("a nickname in quotation marks is no quotation and no part of the name",
     "Four crew were lost, lead singer Dara “Dee” Quill told followers in a post. Quill said the drummer was missing.",
     "Dara Quill"),
    ("a listener told is the addressee, whatever the word",
     "Four crew were lost, Ana Ruiz told followers in a post.", "Ana Ruiz"),
    ("a kind after the name counts, and 'the paper' is the newspaper",
     "The Harbour Gazette newspaper ran an editorial. The paper said the pier must close.", "the Harbour Gazette"),
    ("a kind opening the sentence is no part of the name",
     "Carmaker Norvik cut jobs. Norvik said the plant would close.", "Norvik"),
    ("'a network' before a name is no introduction of it",
     "He joined a network Portland has financed. The network said the shows would go on.", None),
    ("a place after a preposition is no antecedent of a later 'he'",
     "Dr Omar Haddad runs the ward.\n\nDuring a break from his shift at Ramallah Hospital, he explains that "
     "supplies are short.", "Omar Haddad"),
    ("a heading in capitals is no person a pronoun stands for",
     "Ana Ruiz left the port.\n\nROADS BLOCKED\n\n“We waited,” she said.", "Ana Ruiz"),
    ("a longer description finds the one person named with its head role",
     "Kevin Marsh, the director, met us. The director of provincial operations said crews were short.",
     "Kevin Marsh"),
]


@pytest.mark.parametrize("name,text,speaker_name", NAMES, ids=[c[0] for c in NAMES])
def test_names_are_canonical_within_the_article(name, text, speaker_name):
    assert [q.speaker_name for q in extract_quotes(text)][-1] == speaker_name


def test_a_role_with_of_is_kept_as_the_role():
    [q] = extract_quotes("U.S. Secretary of State Mike Pompeo said the talks would go on.")
    assert q.role == "U.S. Secretary of State"


def test_a_first_name_two_people_share_resolves_to_no_one_else():
    text = "Jordan Stewart and Jordan Lee met the coach. “We will play on,” Jordan said."
    assert [q.speaker_name for q in extract_quotes(text)] == ["Jordan"]


@pytest.mark.parametrize("text", [
    "Lena Brook’s comments came as the council met.",          # a possessive makes the cue a noun
    "Editor’s note: the harbour wall was rebuilt in 2019.",
    "Neither Brook nor her aides have been charged with any crime.",  # a passive names no speaker
    "Tomas Reyes was told the pier would close.",
    "The council met on Monday, focusing on the harbour budget.",     # a participle with an object
])
def test_nouns_passives_and_participles_with_objects_report_nothing(text):
    assert extract_quotes(text) == []


def test_a_contracted_has_is_no_possessive():
    [q] = extract_quotes("Lena Brook met the crews. She’s said the pier will reopen in May.")
    assert (q.text, q.speaker_name) == ("the pier will reopen in May", "Lena Brook")


def test_the_ministry_resolves_to_the_ministry_the_article_named():
    text = "The Harbour Ministry opened the pier on Monday. The ministry said the wall would hold."
    [q] = extract_quotes(text)
    assert (q.speaker, q.speaker_name, q.speaker_type) == ("The ministry", "the Harbour Ministry", "organisation")


def test_the_company_names_no_organisation_the_article_did_not_call_a_company():
    text = "The Harbour Ministry met Tesla on Monday. The company said the wall would hold."
    assert [q.speaker_name for q in extract_quotes(text)] == [None]


@pytest.mark.parametrize("text,expected", [
    ("Federal: Health care spending will rise by 4 percent next year.\n\nThe budget was tabled on Monday.", []),
    ("Graham: Rhetoric Is Hurting The Party\n\nLindsey Graham said on Monday the tone was wrong.",
     [("Graham", "Rhetoric Is Hurting The Party"), ("Lindsey Graham", "the tone was wrong")]),
    ("Poll: Sanders Takes First National Lead\n\nThe poll was taken last week.",
     [("Poll", "Sanders Takes First National Lead")]),
])
def test_a_headline_label_speaks_only_when_the_article_names_it_again(text, expected):
    assert [(q.speaker, q.text) for q in extract_quotes(text)] == expected


def test_a_list_of_sections_gives_no_speakers_even_when_its_labels_recur():
    text = ("Federal: Health care spending will rise.\n\nOregon: Family leave in Oregon has been expanded to 12 "
            "weeks.\n\nCalifornia: The minimum wage rises to 16 dollars.\n\nThe laws take effect in Oregon and "
            "California on Monday.")
    assert extract_quotes(text) == []


def test_a_thing_depicting_someone_reports_nothing():
    assert extract_quotes("A photo was posted of a green T-shirt depicting him in a black jacket.") == []


@pytest.mark.parametrize("text,name", [
    ("People for the Ethical Treatment of Animals said the circus must close.",
     "People for the Ethical Treatment of Animals"),
    ("Ben van der Pluijm, a geologist, said the wave was rare. Pluijm added that it would pass.",
     "Ben van der Pluijm"),
    ("Luiz Inácio Lula da Silva said the vote was fair.", "Luiz Inácio Lula da Silva"),
])
def test_names_with_particles_and_for_the_are_whole(text, name):
    assert {q.speaker_name for q in extract_quotes(text)} == {name}


def test_a_clause_in_an_irregular_past_is_content():
    [q] = extract_quotes("Lena Brook said the crews gave the harbour a new wall.")
    assert q.text == "the crews gave the harbour a new wall"


@pytest.mark.parametrize("text", [
    "Sanders on Tuesday said he would attack four provisions.",
    "Sanders last week said he would attack four provisions.",
])
def test_a_time_phrase_between_speaker_and_cue(text):
    assert [(q.speaker, q.text) for q in extract_quotes(text)] == [("Sanders", "he would attack four provisions")]


@pytest.mark.parametrize("text", [
    "The Instagram posts of his wife highlighted the frequency of his trips.",   # a plural noun, not a verb
    "Our top slimming questions were how to eat less and sleep more.",
    "Lena Brook said it.",                                                       # a pronoun alone is no clause
])
def test_noun_cues_and_bare_pronoun_content_report_nothing(text):
    assert extract_quotes(text) == []


@pytest.mark.parametrize("line,speaker", [
    ("SEOUL, Aug. 20 (Yonhap) -- The ministry said the drill was over.", "The ministry"),
    ("WASHINGTON (AP) — Lena Brook said the pier would reopen.", "Lena Brook"),
    ("LONDON — Lena Brook said the pier would reopen.", "Lena Brook"),
])
def test_a_wire_dateline_is_no_speaker(line, speaker):
    from quotes.extract.furniture import dateline_end

    assert line[dateline_end(line, 0, len(line)):].startswith(speaker)
    assert [q.speaker for q in extract_quotes(line)] == [speaker]


def test_an_organisation_the_article_introduces_by_its_kind_is_typed_so():
    [q] = extract_quotes("Carmaker Norvik said the plant would close.")
    assert (q.speaker_name, q.speaker_type) == ("Norvik", "organisation")


@pytest.mark.parametrize("text,expected", [
    # the circumstance of the speaking before "X said, “...”" is no part of what was said
    ("In a statement on Friday, harbour master Tomas Reyes said, “The pier will reopen.”",
     [("Tomas Reyes", "The pier will reopen.")]),
    ("Later in the piece, Lena Brook wrote, “We kept the harbour open.”",
     [("Lena Brook", "We kept the harbour open.")]),
    # an opening subordinate clause, and no report after it
    ("But when the council cut the funding, the harbour board said enough.", []),
    # the antecedent of "who" is no content: "Reyes, who said ..."
    ("The council thanked Tomas Reyes, who said, “The pier will reopen.”",
     [("Tomas Reyes", "The pier will reopen.")]),
])
def test_a_circumstance_before_the_attribution_is_not_content(text, expected):
    assert [(q.speaker_name or q.speaker, q.text) for q in extract_quotes(text)] == expected


@pytest.mark.parametrize("text,expected", [
    # before a medial attribution, a noun phrase or a subordinate clause is the quotation's own
    ("The museum, Lena Brook said, celebrated the harbour's crews.", ["The museum", "celebrated the harbour's crews"]),
    ("If the vote fails, Lena Brook said, “we will try again.”", ["If the vote fails", "we will try again."]),
])
def test_the_words_before_a_medial_attribution_stay_a_quote(text, expected):
    assert [q.text for q in extract_quotes(text)] == expected


@pytest.mark.parametrize("text,expected", [
    # "that" and a verb after the cue's object is a relative clause about the object, nothing said
    ("The mayor opposed plans that would close the pier.", []),
    ("The board identified the boats that were lost.", []),
    # "that" and a verb right after the cue is the content's subject
    ("Lena Brook said that was a mistake.", [("Lena Brook", "that was a mistake")]),
    ("Lena Brook said that the pier was closed.", [("Lena Brook", "the pier was closed")]),
])
def test_that_with_a_verb_after_it_is_no_that_clause(text, expected):
    assert [(q.speaker_name, q.text) for q in extract_quotes(text)] == expected


@pytest.mark.parametrize("text", [
    "Tomas Reyes pleaded guilty in July to fraud and obstruction of justice.",   # a legal act
    "Lena Brook maintains a wide lead over Reyes among older voters.",           # holding, not saying
    "The coroner identified the man killed as Tomas Reyes.",
    "The council listed three failures in the harbour's report.",
    "Lena Brook repeated a refrain of her campaign.",                            # the refrain is not said here
])
def test_acts_and_holdings_with_an_object_report_nothing(text):
    assert extract_quotes(text) == []


def test_a_verb_of_memory_attributes_the_quotation_next_to_it():
    [q] = extract_quotes("“We kept it open,” remembered Lena Brook, the former harbour master.")
    assert (q.kind, q.speaker_name) == ("direct", "Lena Brook")


@pytest.mark.parametrize("text,expected", [
    # "called" after an indefinite noun phrase names it, even a speaker's noun before a name alone
    ("Donors targeted by a civil rights advocacy group called Harbour Watch, sat out the vote.", []),
    ("A newly formed super PAC called Future 45 ran its first ads in Maine.", []),
    # but a speaker calling someone something is a report
    ("One lawmaker called Reyes “the orange prince of the harbour.”",
     [("One lawmaker", "Reyes “the orange prince of the harbour.”")]),
    # a phrasal verb in "off" reports nothing
    ("Norvik and Halvard called off a $54 billion merger after the ruling.", []),
    # "called on" someone to act is an urging; "called on Monday for" is the day's "on"
    ("Lena Brook called on the council to act.", [("Lena Brook", "the council to act")]),
    ("Lena Brook called on Monday for a recount.", [("Lena Brook", "a recount")]),
])
def test_calling_naming_and_calling_on(text, expected):
    assert [(q.speaker_name or q.speaker, q.text) for q in extract_quotes(text)] == expected


@pytest.mark.parametrize("text", [
    "UFCW Local 832 late Friday said a majority of the workers voted yes.",
    "UFCW Local 832 said a majority of the workers voted yes.",
])
def test_a_name_ends_in_its_number_and_a_time_phrase_is_no_part_of_it(text):
    [q] = extract_quotes(text)
    assert (q.speaker, q.speaker_name, q.speaker_type) == ("UFCW Local 832", "UFCW Local 832", "organisation")


def test_a_surname_like_a_time_word_stays_a_name():
    [q] = extract_quotes("Asked about the vote, Early described it as “news to me.”")
    assert q.speaker_name == "Early"


@pytest.mark.parametrize("text,name", [
    # an organisation's name as the article gives it: with its "the" when the article writes one
    ("A statement from the EU said the talks would go on. The EU met on Friday.", "the EU"),
    ("The Harbour Ministry said the pier would reopen.", "the Harbour Ministry"),
    ("Amnesty International said the prisons were full.", "Amnesty International"),
    # a document names its author: "a statement from X" is X's
    ("A statement from the Harbour Ministry said the pier would reopen.", "the Harbour Ministry"),
])
def test_an_organisation_is_named_as_the_article_writes_it(text, name):
    assert [q.speaker_name for q in extract_quotes(text)] == [name]


def test_an_organisations_the_joins_the_same_entity_across_articles():
    from quotes.link import cluster_names

    [entity] = cluster_names({"the EU": 3, "EU": 1})
    assert set(entity.members) == {"the EU", "EU"}


def test_a_surname_that_is_also_an_organisations_word_is_a_persons():
    text = ("Artistic director Christopher House knew her work.\n\n"
            "“I always felt it deserved to be longer,” says House.\n\nThe House said the bill would pass.")
    assert [(q.speaker_name, q.speaker_type) for q in extract_quotes(text)] == [
        ("Christopher House", "person"), (None, "organisation")]


def test_a_description_with_its_employer_then_the_name_in_apposition():
    [q] = extract_quotes("But the director of operations for the Harbour Board, Jeff Fraser, says the system works.")
    assert (q.speaker_name, q.role) == ("Jeff Fraser", "director of operations for the Harbour Board")


@pytest.mark.parametrize("text,expected", [
    # an opening adverb and its comma are no subject: the participle's speaker comes after them
    ("First though, Onyeka interrupted the talk by blowing an airhorn and joking that she was the boss.",
     [("Onyeka", "she was the boss")]),
    # who gave the interview speaks, even with an appositive between
    ("On Monday, Tom Vale, the president of the bank, gave an interview noting his opposition to higher rates.",
     [("Tom Vale", "his opposition to higher rates")]),
    ("Instead, Lena Brook opened by talking about her work on the harbour.", []),
])
def test_the_subject_of_a_participle_and_the_giver_of_an_interview(text, expected):
    assert [(q.speaker_name or q.speaker, q.text) for q in extract_quotes(text)] == expected


@pytest.mark.parametrize("text,expected", [
    # a circumstance or a time between the subject and its cue is no speaker
    ("The break came when Lena Brook in her announcement speech called the pier “a ruin.”",
     [("Lena Brook", "the pier “a ruin.”")]),
    ("When Tom Vale a month later announced 600 layoffs, the workers felt betrayed.", [("Tom Vale", "600 layoffs")]),
    # "X did something and said ...": X said it
    ("Lena Brook shook her head and said she would not answer.", [("Lena Brook", "she would not answer")]),
    # but "speeches and promises" are nouns
    ("Reyes won the crowds with speeches and promises to rebuild the pier, Brook said.",
     [("Brook", "Reyes won the crowds with speeches and promises to rebuild the pier")]),
])
def test_what_stands_between_a_subject_and_its_cue(text, expected):
    assert [(q.speaker_name or q.speaker, q.text) for q in extract_quotes(text)] == expected


@pytest.mark.parametrize("text,content", [
    # the report goes on through "while", "including" and "even though"
    ("Lena Brook said the pier stayed open while the storm lasted.", "the pier stayed open while the storm lasted"),
    ("Lena Brook said the council had cut three services, including the night ferry.",
     "the council had cut three services, including the night ferry"),
    ("Lena Brook said the pier would reopen, even though the council had not voted.",
     "the pier would reopen, even though the council had not voted"),
])
def test_the_report_goes_on_through_while_including_and_even_though(text, content):
    assert [q.text for q in extract_quotes(text)] == [content]


@pytest.mark.parametrize("text,expected", [
    # a cue inside an opening subordinate clause reports no more than that clause
    ("After the miners’ union objected, the case was moved to St. Louis.", []),
    ("If the plan rejected single mothers, black families would be hurt.", []),
    ("When Lena Brook said the pier would close, the crowd booed.", [("Lena Brook", "the pier would close")]),
])
def test_a_cue_in_an_opening_subordinate_clause(text, expected):
    assert [(q.speaker_name or q.speaker, q.text) for q in extract_quotes(text)] == expected


@pytest.mark.parametrize("text,expected", [
    # only a document or a body of evidence shows: a person or an event shows nothing said
    ("A new poll shows Lena Brook ahead by three points.", [("A new poll", "Lena Brook ahead by three points")]),
    ("The results showed the weakness of the harbour board.", [("The results", "the weakness of the harbour board")]),
    ("Four people were injured, showing the gulf between the two towns.", []),
    ("Lena Brook spent Monday campaigning, showing how the race distracts her.", []),
    ("Mr. Reyes showed no sign of backing down.", []),
])
def test_what_shows(text, expected):
    assert [(q.speaker, q.text) for q in extract_quotes(text)] == expected


@pytest.mark.parametrize("text,name", [
    # a one-word name with a description after it opens the sentence: the next "she" is her
    ("Dudi Dwiriadi said the sea rose.\n\nYuni, a resident of Lampung, was watching television when she "
     "heard the water.\n\n“I heard a rumbling sound,” she said.", "Yuni"),
    # the person "unlike" names is not the one "he" stands for
    ("Ragheb Al Turkmani came to Canada in 2016.\n\nUnlike Al Mnajer, he has been unable to find work.\n\n"
     "“My study comes afterwards,” he said.", "Ragheb Al Turkmani"),
])
def test_who_a_later_pronoun_stands_for(text, name):
    assert extract_quotes(text)[-1].speaker_name == name


@pytest.mark.parametrize("text,expected", [
    # a person introduced by a description, named in the next sentence (a delayed lead)
    ("A Vancouver hockey coach says he is “amazed” by the video.\n\nStephen Gillis said the video was kind.",
     ["Stephen Gillis", "Stephen Gillis"]),
    ("One former director said on Friday that he would return. Joseph Manzoli told the Globe he left last winter.",
     ["Joseph Manzoli", "Joseph Manzoli"]),
    # an anonymous source stays anonymous, whoever speaks next
    ("A police spokesman said the road was closed. Tom Brook said it would reopen.", [None, "Tom Brook"]),
])
def test_a_person_introduced_by_a_description_is_named_next(text, expected):
    assert [q.speaker_name for q in extract_quotes(text)] == expected


@pytest.mark.parametrize("text,second", [
    # a quotation split by its attribution goes on after the circumstance of the saying
    ("“I think he will be fair,” Lena Brook said during a rally in Kenansville, N.C., “but many will watch.”",
     "but many will watch."),
    ("“Every time you say that,” Tom Vale said, referring to the excuse, “you give them ammunition.”",
     "you give them ammunition."),
])
def test_a_split_quotation_goes_on_after_a_circumstance(text, second):
    quotes = extract_quotes(text)
    assert [(q.kind, q.text) for q in quotes][1:] == [("direct", second)]
    assert quotes[0].speaker_name == quotes[1].speaker_name


def test_a_subject_introduces_its_words_before_a_colon():
    [q] = extract_quotes("Tom Vale is rolling out a new and more personal campaign message: “It is about me.”")
    assert (q.speaker_name, q.kind, q.text) == ("Tom Vale", "direct", "It is about me.")
    assert extract_quotes("The piece used one of the woman’s lines as its headline: “Someone like me.”") == []


def test_a_surname_is_the_persons_before_a_firm_named_after_them():
    text = ("Mary Ann Schicketanz designed it. Studio Schicketanz won prizes. Studio Schicketanz opened in 2001."
            "\n\n“It was hard,” Schicketanz said.")
    [q] = extract_quotes(text)
    assert (q.speaker_name, q.speaker_type) == ("Mary Ann Schicketanz", "person")


@pytest.mark.parametrize("text", [
    # a speaker in a relative clause with no "that": what the cue reports is the noun before it
    "He had not made the changes Mills requested months earlier.",
    "The candidates Sanders named in his email are state representatives.",
    # a noun like a weak cue, and its prepositional phrase: "attacks in Paris"
    "The row came in the wake of the terrorist attacks in Paris last month.",
    "She headed off Republican attacks on her record as secretary of state.",
])
def test_object_relatives_and_nouns_with_their_phrases_report_nothing(text):
    assert extract_quotes(text) == []


@pytest.mark.parametrize("text,expected", [
    # "..., said NAME, role": the name after the cue speaks, whatever clause came before
    ("The pier lacks support from the councillors, whom she has alienated with her plans, said Tom Vale, "
     "director of the centre.", "Tom Vale"),
    # but "X, role, said NAME would ..." is X's report about NAME
    ("Lena Brook, a top adviser, said Reyes would win.", "Lena Brook"),
    # a poll inside the subject of "said" is no source of its own
    ("One in four voters in a Harbour Gazette poll said the ferry should stay.", "a Harbour Gazette poll"),
])
def test_which_side_of_said_the_speaker_is(text, expected):
    [q] = extract_quotes(text)
    assert (q.speaker_name or q.speaker) == expected


def test_a_medial_attribution_then_and_with_a_circumstance_goes_on():
    text = ("The point of the rules is to keep files safe, Lena Brook said, and with the aides chastened, "
            "the files are safe now.")
    assert [q.text for q in extract_quotes(text)] == [
        "The point of the rules is to keep files safe", "and with the aides chastened, the files are safe now"]


@pytest.mark.parametrize("text", [
    "Stocks fell on Monday.\n\nBONDS: Yields rose across the board.",          # one section label
    "Stocks fell on Monday.\n\nANALYST'S TAKE: Rates will rise.\n\nCURRENCIES: The yen rose.",  # a possessive label
])
def test_section_labels_are_no_transcript_turns(text):
    assert [q for q in extract_quotes(text) if q.rule == "transcript-turn"] == []


def test_a_coordinated_noun_like_a_cue_reports_nothing():
    assert extract_quotes("Utilities turned to natural gas and demand from China cooled.") == []


@pytest.mark.parametrize("text,content", [
    # the time or place of the saying between the cue and a clause is no part of the report
    ("Lena Brook said after the vote she would not accept the result.", "she would not accept the result"),
    ("Lena Brook said in an interview she would run again.", "she would run again"),
])
def test_a_circumstance_between_the_cue_and_the_clause(text, content):
    assert [q.text for q in extract_quotes(text)] == [content]


def test_two_people_named_together_are_the_next_they():
    text = ("A release from UFCW Local 832 said the workers voted yes.\n\n"
            "Tore Sohlberg and Lehla Abreder work at the café.\n\n“We are happy,” they said.")
    assert [(q.speaker_name, q.speaker_type) for q in extract_quotes(text)][-1] == (
        "Tore Sohlberg and Lehla Abreder", "group")
