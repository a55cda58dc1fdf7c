"""Clustering unanswered questions by similarity."""

from __future__ import annotations

from faq.clusters import Asked, cluster_questions


def test_rewordings_of_one_topic_share_a_cluster_and_counts_add_up() -> None:
    asked = [
        Asked("公司食堂怎么申请补贴", 3),
        Asked("食堂补贴怎么申请", 2),
        Asked("外籍员工子女能上公办学校吗", 4),
        Asked("申请食堂补贴要什么材料", 1),
    ]
    clusters = cluster_questions(asked)
    assert [c.text for c in clusters] == ["公司食堂怎么申请补贴", "外籍员工子女能上公办学校吗"]
    assert clusters[0].count == 6
    assert {q.text for q in clusters[0].questions} == {
        "公司食堂怎么申请补贴",
        "食堂补贴怎么申请",
        "申请食堂补贴要什么材料",
    }


def test_unrelated_questions_stay_apart() -> None:
    clusters = cluster_questions([Asked("停车位怎么办理", 1), Asked("研发费用加计扣除比例", 1)])
    assert sorted([q.text for q in c.questions] for c in clusters) == [["停车位怎么办理"], ["研发费用加计扣除比例"]]


def test_no_questions_no_clusters() -> None:
    assert cluster_questions([]) == []
