{{ config(meta={'dagster': {'ref': {'name': 'int_project_mentions'}}}) }}
-- The programme phrases of a sentence (macro program_phrases) on this project's own sentences: a phrase ends where
-- its word ends (사업자, 사업본부장, 프로젝트팀 name no programme), particles and 비 after the head are cut.
-- Returns the sentences whose phrases differ from the expected ones.
with cases(sentence, expected) as (
    values
        ('시는 스마트 교차로 구축사업을 올해 마친다.', ['스마트 교차로 구축사업']),
        ('도시재생 뉴딜사업비 20억 원을 확보했다.', ['도시재생 뉴딜사업']),
        ('특구사업자와 관계자들이 참석했다.', []::varchar[]),
        ('김가람 한빛전자 공공사업본부장은 설명했다.', []::varchar[]),
        ('드론 배송 프로젝트팀이 꾸려졌다.', []::varchar[]),
        ('드론 배송 프로젝트가 시작됐다.', ['드론 배송 프로젝트']),
        ('국가AI컴퓨팅센터 유치를 노린다.', ['국가AI컴퓨팅센터 유치'])
)

select sentence, expected, {{ program_phrases('sentence') }} as got
from cases
where {{ program_phrases('sentence') }} <> expected
