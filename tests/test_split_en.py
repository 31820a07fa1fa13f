"""Golden table for the English sentence splitter (news-dispatch style)."""

from __future__ import annotations

import pytest

from aligner.split import get_splitter

CASES = [
    # --- agency datelines -------------------------------------------------
    (  # Reuters dateline: "Nov." before a day number is not a sentence end
        "WASHINGTON, Nov. 25 (Reuters) - The Senate passed the bill on Tuesday. "
        "The House will vote next week.",
        [
            "WASHINGTON, Nov. 25 (Reuters) - The Senate passed the bill on Tuesday.",
            "The House will vote next week.",
        ],
    ),
    (  # dateline with "Jan." and decimal percentages
        "LONDON, Jan. 5 (Reuters) - Britain's economy grew 0.3% in the third quarter. "
        "Analysts had expected 0.2%.",
        [
            "LONDON, Jan. 5 (Reuters) - Britain's economy grew 0.3% in the third quarter.",
            "Analysts had expected 0.2%.",
        ],
    ),
    (  # AP dateline with an em dash
        "KYIV, Nov. 25 (AP) — Russian drones struck the capital overnight. Two people were hurt.",
        ["KYIV, Nov. 25 (AP) — Russian drones struck the capital overnight.", "Two people were hurt."],
    ),
    (  # dateline without a date
        "ASTANA, Kazakhstan (AP) — President Vladimir Putin arrived on Wednesday for a two-day visit.",
        ["ASTANA, Kazakhstan (AP) — President Vladimir Putin arrived on Wednesday for a two-day visit."],
    ),
    # --- dates ------------------------------------------------------------
    (  # "Nov. 25, 2025" inside a sentence
        "The vote took place on Nov. 25, 2025, after weeks of talks.",
        ["The vote took place on Nov. 25, 2025, after weeks of talks."],
    ),
    (  # "Jan. 5" inside a sentence
        "The meeting is set for Jan. 5 in Geneva.",
        ["The meeting is set for Jan. 5 in Geneva."],
    ),
    (  # a month abbreviation that ends a sentence (no number follows)
        "The vote took place in Nov. The results came later.",
        ["The vote took place in Nov.", "The results came later."],
    ),
    (  # "Sept. 11" at the end of a sentence
        "He arrived on Sept. 11. Talks began the next day.",
        ["He arrived on Sept. 11.", "Talks began the next day."],
    ),
    # --- quotes -----------------------------------------------------------
    (  # straight quotes with a quote-final period
        '"We will never surrender." The crowd cheered.',
        ['"We will never surrender."', "The crowd cheered."],
    ),
    (  # curly quotes with a quote-final period
        "“We will never surrender.” The crowd cheered.",
        ["“We will never surrender.”", "The crowd cheered."],
    ),
    (  # period after the closing curly quote
        "“We will never surrender”. The crowd cheered.",
        ["“We will never surrender”.", "The crowd cheered."],
    ),
    (  # quoted phrase ending a sentence
        'He said it was "a historic day." Others disagreed.',
        ['He said it was "a historic day."', "Others disagreed."],
    ),
    (  # quoted question followed by a lower-case attribution stays whole
        '"Is it over?" he asked.',
        ['"Is it over?" he asked.'],
    ),
    (  # quoted exclamation followed by a comma stays whole
        "“Enough!”, he shouted at the reporters.",
        ["“Enough!”, he shouted at the reporters."],
    ),
    (  # quoted statement, period inside, lower-case attribution
        '"We are ready." he said on Monday.',
        ['"We are ready." he said on Monday.'],
    ),
    (  # two sentences inside one quotation are split
        'He said: "We are ready. The army is ready."',
        ['He said: "We are ready.', 'The army is ready."'],
    ),
    # --- numbers ----------------------------------------------------------
    (  # thousands separator and a percentage
        "The company sold 7,500 units. Sales rose 43%.",
        ["The company sold 7,500 units.", "Sales rose 43%."],
    ),
    (  # decimal points inside numbers
        "The index rose 3.5 percent. It closed at 1,678.25 points.",
        ["The index rose 3.5 percent.", "It closed at 1,678.25 points."],
    ),
    (  # currency with a decimal point at the end of a sentence
        "The euro fell 0.5% to $1.08. The dollar rose.",
        ["The euro fell 0.5% to $1.08.", "The dollar rose."],
    ),
    (  # a year at the end of a sentence
        "Russia's GDP fell 2.1% in 2022. Sanctions hit hard.",
        ["Russia's GDP fell 2.1% in 2022.", "Sanctions hit hard."],
    ),
    (  # a score-like number at the end of a sentence, then a title
        "The bill passed 52-48. Sen. Schumer said he was pleased.",
        ["The bill passed 52-48.", "Sen. Schumer said he was pleased."],
    ),
    # --- titles -----------------------------------------------------------
    (  # "Mr." and "Dr." before names
        "Mr. Smith met Dr. Jones in Washington.",
        ["Mr. Smith met Dr. Jones in Washington."],
    ),
    (  # "Mrs." and "Ms."
        "Mrs. Brown and Ms. Green arrived on Monday.",
        ["Mrs. Brown and Ms. Green arrived on Monday."],
    ),
    (  # "Sen." and "Rep." before hyphenated names
        "Sen. Warren and Rep. Ocasio-Cortez spoke after the vote.",
        ["Sen. Warren and Rep. Ocasio-Cortez spoke after the vote."],
    ),
    (  # "Prof." and "St." (a place name)
        "Prof. Smith teaches at St. Andrews.",
        ["Prof. Smith teaches at St. Andrews."],
    ),
    (  # "Rev." and "Jr."
        "Rev. Martin Luther King Jr. spoke in 1963.",
        ["Rev. Martin Luther King Jr. spoke in 1963."],
    ),
    (  # "Gen." and "U.S." in one sentence
        "Gen. Milley said the U.S. Army was ready.",
        ["Gen. Milley said the U.S. Army was ready."],
    ),
    # --- other abbreviations ----------------------------------------------
    (  # "U.S." before a noun
        "The U.S. economy grew 2.8% last year.",
        ["The U.S. economy grew 2.8% last year."],
    ),
    (  # "U.S." before a capitalised title and name
        "U.S. President Donald Trump spoke on Monday.",
        ["U.S. President Donald Trump spoke on Monday."],
    ),
    (  # "U.S." ending a sentence, then a clear new sentence
        "The deal was signed in the U.S. The talks lasted three days.",
        ["The deal was signed in the U.S.", "The talks lasted three days."],
    ),
    (  # "U.S." and "E.U." before lower-case words
        "U.S. and E.U. officials met in Brussels.",
        ["U.S. and E.U. officials met in Brussels."],
    ),
    (  # "U.N." before a proper noun
        "The U.N. Security Council met on Friday.",
        ["The U.N. Security Council met on Friday."],
    ),
    (  # "e.g." inside parentheses
        "Metals (e.g. copper and gold) rose sharply.",
        ["Metals (e.g. copper and gold) rose sharply."],
    ),
    (  # "i.e." between commas
        "Several allies, i.e. France and Germany, objected.",
        ["Several allies, i.e. France and Germany, objected."],
    ),
    (  # "No. 5" before a number
        "He lives at No. 5 Downing Street.",
        ["He lives at No. 5 Downing Street."],
    ),
    (  # "no." as a word at the end of a sentence
        "The answer was no. Officials declined to comment.",
        ["The answer was no.", "Officials declined to comment."],
    ),
    (  # "pp." and "Vol." before numbers
        "He cited pp. 12-15 of Vol. 3 of the report.",
        ["He cited pp. 12-15 of Vol. 3 of the report."],
    ),
    (  # "vs." between numbers
        "The vote was 52 vs. 48 in favor.",
        ["The vote was 52 vs. 48 in favor."],
    ),
    (  # "Inc." before a verb and "Corp." ending a sentence
        "Shares of Apple Inc. rose 2%. Microsoft Corp. fell.",
        ["Shares of Apple Inc. rose 2%.", "Microsoft Corp. fell."],
    ),
    (  # "p.m." ending a sentence
        "The talks ended at 5 p.m. The leaders left.",
        ["The talks ended at 5 p.m.", "The leaders left."],
    ),
    (  # "a.m." inside a sentence
        "The talks were held at 10 a.m. on Monday.",
        ["The talks were held at 10 a.m. on Monday."],
    ),
    (  # "D.C." ending a sentence
        "He lived in Washington, D.C. He moved in 2001.",
        ["He lived in Washington, D.C.", "He moved in 2001."],
    ),
    pytest.param(  # "U.S.A." ending a sentence before a word Punkt knows no statistics for
        "He visited the U.S.A. Then he flew to Canada.",
        ["He visited the U.S.A.", "Then he flew to Canada."],
        marks=pytest.mark.xfail(
            reason="Punkt breaks after a known abbreviation only before a frequent sentence "
            "starter or a word its orthographic statistics mark as one; 'Then' is neither"
        ),
    ),
    # --- initials ---------------------------------------------------------
    (  # a run of initials before a surname
        "The book by J. R. R. Tolkien sold well.",
        ["The book by J. R. R. Tolkien sold well."],
    ),
    (  # one initial before a surname
        "The report was written by G. Rossi and published Monday.",
        ["The report was written by G. Rossi and published Monday."],
    ),
    (  # a middle initial
        "It was signed by John F. Kennedy in 1963.",
        ["It was signed by John F. Kennedy in 1963."],
    ),
    # --- ellipses ---------------------------------------------------------
    (  # "..." followed by lower case: same sentence
        "He paused... and then continued.",
        ["He paused... and then continued."],
    ),
    (  # "..." followed by a capital: new sentence
        "He paused... Nobody said a word.",
        ["He paused...", "Nobody said a word."],
    ),
    (  # "…" followed by lower case: same sentence
        "He paused… and then continued.",
        ["He paused… and then continued."],
    ),
    (  # "…" followed by a capital: new sentence
        "He paused… Nobody said a word.",
        ["He paused…", "Nobody said a word."],
    ),
    (  # "…" inside quotes followed by lower case
        'It was, he said, "unacceptable…" and walked out.',
        ['It was, he said, "unacceptable…" and walked out.'],
    ),
    # --- question and exclamation marks -----------------------------------
    (  # question mark
        "Did the Fed blink? Markets think so.",
        ["Did the Fed blink?", "Markets think so."],
    ),
    (  # exclamation mark after a number
        "Gold hit $2,000 an ounce! Analysts were stunned.",
        ["Gold hit $2,000 an ounce!", "Analysts were stunned."],
    ),
    (  # a question followed by a quoted answer
        'Is it over? "No," he said.',
        ["Is it over?", '"No," he said.'],
    ),
    # --- URLs and e-mail addresses ----------------------------------------
    (  # bare domain and e-mail address
        "Visit www.example.com for details. Or email info@example.com today.",
        ["Visit www.example.com for details.", "Or email info@example.com today."],
    ),
    (  # a URL at the end of a sentence
        "The report is at https://www.example.com/report.pdf. Read it.",
        ["The report is at https://www.example.com/report.pdf.", "Read it."],
    ),
    (  # an e-mail address at the end of a sentence
        "Contact press@un.org. Officials did not reply.",
        ["Contact press@un.org.", "Officials did not reply."],
    ),
    # --- parentheses ------------------------------------------------------
    (  # parenthetical inside a sentence
        "The minister (who was absent) sent a note. The meeting was postponed.",
        ["The minister (who was absent) sent a note.", "The meeting was postponed."],
    ),
    (  # period after a closing parenthesis
        "The summit ended (without a deal). Leaders flew home.",
        ["The summit ended (without a deal).", "Leaders flew home."],
    ),
    (  # a whole sentence in parentheses
        "The minister left. (He declined to comment.) Talks resume Monday.",
        ["The minister left.", "(He declined to comment.)", "Talks resume Monday."],
    ),
    # --- cases that must split --------------------------------------------
    (  # two plain short sentences
        "Oil prices fell. Gold rose.",
        ["Oil prices fell.", "Gold rose."],
    ),
    (  # headline lines separated by a newline
        "Kazakhstan and Russia forge a strategic alliance\nPutin visits Astana",
        ["Kazakhstan and Russia forge a strategic alliance", "Putin visits Astana"],
    ),
    (  # a sentence ending in a name after a title, then a new sentence
        "Dr. Smith, a U.S. citizen, was freed. He flew home.",
        ["Dr. Smith, a U.S. citizen, was freed.", "He flew home."],
    ),
    # --- rows from the seed files -----------------------------------------
    (  # seed 001: dateline with a spelled-out month, then two more sentences
        "Milan, November 25 (askanews) – Vladimir Putin is seeking to maintain Russia’s influence "
        "in Central Asia. The big game is balance: The United States is seeking influence in the "
        "region close to Russia and China, and Kyrgyzstan is among those sitting with the American "
        "billionaire. Although US Secretary of State Marco Rubio’s promised trip to five Central "
        "Asian republics in 2026 could provide a further boost to America’s push in the region.",
        [
            "Milan, November 25 (askanews) – Vladimir Putin is seeking to maintain Russia’s influence "
            "in Central Asia.",
            "The big game is balance: The United States is seeking influence in the region close to "
            "Russia and China, and Kyrgyzstan is among those sitting with the American billionaire.",
            "Although US Secretary of State Marco Rubio’s promised trip to five Central Asian "
            "republics in 2026 could provide a further boost to America’s push in the region.",
        ],
    ),
    (  # seed 001: an acronym in parentheses inside a long sentence
        "Putin will spend three days there and will participate in the next meeting, in Bishkek, "
        "the capital, of the Collective Security Council of the Collective Security Treaty "
        "Organization (CSTO), which is chaired by Russia. And from a security perspective, Moscow "
        "remains indispensable to Kyrgyzstan.",
        [
            "Putin will spend three days there and will participate in the next meeting, in Bishkek, "
            "the capital, of the Collective Security Council of the Collective Security Treaty "
            "Organization (CSTO), which is chaired by Russia.",
            "And from a security perspective, Moscow remains indispensable to Kyrgyzstan.",
        ],
    ),
    (  # a numbered list: the item's number starts its sentence (ParTUT's Creative Commons licence)
        "Subject to these terms and conditions. 1. Definitions. Collective Work means a periodical issue. 2. Fair Use Rights.",
        [
            "Subject to these terms and conditions.",
            "1. Definitions.",
            "Collective Work means a periodical issue.",
            "2. Fair Use Rights.",
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_en(text: str, expected: list[str]) -> None:
    assert get_splitter("en").split(text) == expected


def test_enough_cases() -> None:
    assert len(CASES) >= 45
