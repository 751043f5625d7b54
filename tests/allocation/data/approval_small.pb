META
key;value
description;Hand-made approval round for the tests
country;Netherlands
unit;Testdorp
district;Noord
instance;2025
num_projects;4
num_votes;6
budget;10000
vote_type;approval
rule;greedy
max_length;3
PROJECTS
project_id;cost;votes;name;category;neighborhood;selected
p1;6000;4;"Speeltuin ""De Eik""; nieuw";Jeugd,Groen;Centrum;1
p2;3000;3;Bankjes;Ontmoeting;Centrum;1
p3;4000;3;Boomspiegels;Groen;Haven;0
p4;500;1;Buurtfeest;Ontmoeting;;0
VOTES
voter_id;vote;age;sex
v1;p1,p2;34;F
v2;p1,p3;51;M
v3;p3,p1,p2;27;F
v4;p1;19;X
v5;p2,p4,p3;66;M
v6;;40;F
